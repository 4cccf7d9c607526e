import { useId, useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { useSession, useSignIn } from '../session';
import { homePath, mayOpen, safeNextPath, type Role } from '../roles';
import { Page } from '../components/Page';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { Field } from '../components/Field';

/** What a person is told when signing in fails: the API's codes in plain words. */
export function signInProblem(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 401 || error.code === 'invalid_credentials') return 'Email or password is wrong.';
  if (error.status === 429 || error.code === 'too_many_attempts') {
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return `Too many attempts — try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  return null;
}

export function SignInPage() {
  const session = useSession();
  const signIn = useSignIn();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const ids = { email: useId(), password: useId() };

  const landing = (role: Role) => {
    const next = safeNextPath(params.get('next'));
    return next && mayOpen(role, next) ? next : homePath(role);
  };

  if (session.isPending) return <Loading label="Checking your session…" />;
  // Signed in (now, or already when the page opened): on to the person's own area.
  if (session.data) return <Navigate to={landing(session.data.scope.role)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = {
      email: email.trim() ? undefined : 'Enter your email address',
      password: password ? undefined : 'Enter your password',
    };
    setMissing(problems);
    if (problems.email || problems.password) return;
    signIn.mutate({ email: email.trim(), password }, { onError: () => setPassword('') });
  };

  const problem = signInProblem(signIn.error);
  return (
    <main id="main" className="signin">
      <Page title="Sign in to Channel Coupons">
        <form className="form signin-form" onSubmit={submit} noValidate aria-describedby={problem ? 'signin-problem' : undefined}>
          {problem ? (
            <p id="signin-problem" className="form-error" role="alert">
              {problem}
            </p>
          ) : signIn.error ? (
            <ErrorMessage error={signIn.error} title="Signing in failed" />
          ) : null}
          <Field id={ids.email} label="Email" error={missing.email}>
            {(aria) => (
              <input {...aria} name="email" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
            )}
          </Field>
          <Field id={ids.password} label="Password" error={missing.password}>
            {(aria) => (
              <input {...aria} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            )}
          </Field>
          <button type="submit" className="button button-primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </Page>
    </main>
  );
}
