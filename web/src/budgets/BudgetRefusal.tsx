import { ApiError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { budgetRefusalText } from './budget-text';

/** A refused budget change or request: the API's words, then its figures in a sentence. */
export function BudgetRefusal({ error, currency, title }: { error: unknown; currency: string; title: string }) {
  const figures = error instanceof ApiError ? budgetRefusalText(error, currency) : null;
  return (
    <ErrorMessage error={error} title={title}>
      {figures ? <p className="refusal-figures">{figures}</p> : null}
    </ErrorMessage>
  );
}
