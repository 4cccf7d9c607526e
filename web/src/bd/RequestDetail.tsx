import type { Ref } from 'react';
import type { ApprovalDetail, IssuanceRequest, RequestStatus } from '../api-types';
import { Money } from '../components/Money';
import { Age, DateTime } from '../components/DateTime';
import { StatusBadge } from '../components/StatusBadge';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { useRequestItems, type Decide } from './bd-api';
import { templateRules } from './rules-text';
import { DecisionPanel, type ReasonFocus } from './DecisionPanel';

/**
 * Everything a BD needs to decide one request (R2, R9): who asks, what the coupons are (the
 * template's rules), to whom, how much in total, the partner's record, and the decision itself.
 * After the decision it stays, following the request's status as the workers issue it.
 */
export function RequestDetail({ detail, decide, headingRef, confirming, setConfirming, reasonFocus, onDecided }: {
  detail: ApprovalDetail;
  decide: Decide;
  headingRef: Ref<HTMLHeadingElement>;
  confirming: boolean;
  setConfirming: (open: boolean) => void;
  reasonFocus: ReasonFocus | null;
  onDecided: (request: IssuanceRequest, outcome: 'approved' | 'rejected') => void;
}) {
  const { request, partner, template, pastDecisions } = detail;
  const pending = request.status === 'pending_approval';
  return (
    <article className="request-detail" aria-labelledby="detail-heading">
      <header className="detail-header">
        <h2 id="detail-heading" ref={headingRef} tabIndex={-1}>
          {partner.name}: {template.name}
        </h2>
        <p className="detail-status" role="status" aria-live="polite">
          <StatusBadge status={request.status} />
          {request.status === 'approved' || request.status === 'issuing' ? <span> · issuing coupons…</span> : null}
          {request.status === 'issued' || request.status === 'issued_with_failures' ? (
            <span>
              {' '}· {request.progress.issued} issued{request.progress.failed ? `, ${request.progress.failed} failed` : ''}
            </span>
          ) : null}
        </p>
      </header>

      <dl className="facts">
        <div>
          <dt>Total face value</dt>
          <dd>
            <Money minor={request.totalFaceValue} currency={request.currency} />
          </dd>
        </div>
        <div>
          <dt>Coupons</dt>
          <dd>
            {request.totalAccounts} × <Money minor={request.faceValue} currency={request.currency} />
            {request.kind === 'activation_codes' ? ' (offline activation codes)' : ''}
          </dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>
            <DateTime iso={request.createdAt} /> (<Age iso={request.createdAt} seconds={request.ageSeconds} />)
          </dd>
        </div>
        {pending && request.expiresAt ? (
          <div>
            <dt>Expires unless decided</dt>
            <dd>
              <DateTime iso={request.expiresAt} />
            </dd>
          </div>
        ) : null}
        {request.decidedAt ? (
          <div>
            <dt>Decided</dt>
            <dd>
              <DateTime iso={request.decidedAt} />
              {request.decisionReason ? `: ${request.decisionReason}` : ''}
            </dd>
          </div>
        ) : null}
      </dl>

      {pending ? (
        <DecisionPanel
          key={request.id}
          detail={detail}
          decide={decide}
          confirming={confirming}
          setConfirming={setConfirming}
          reasonFocus={reasonFocus}
          onDecided={onDecided}
        />
      ) : null}

      <section aria-labelledby="rules-heading">
        <h3 id="rules-heading">Template rules</h3>
        {template.description ? <p>{template.description}</p> : null}
        <dl className="rules">
          {templateRules(template).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <Recipients request={request} />

      <section aria-labelledby="past-heading">
        <h3 id="past-heading">{partner.name}'s past vendor-borne requests</h3>
        <p>
          {pastDecisions.approved} approved, {pastDecisions.rejected} rejected, {pastDecisions.expired} expired without a decision.
        </p>
        <Table
          caption="Most recent decisions"
          rows={pastDecisions.recent}
          rowKey={(d) => d.id}
          empty={<p>No earlier decisions for this partner.</p>}
          columns={[
            { header: 'Decided', cell: (d) => <DateTime iso={d.decidedAt} /> },
            // The document gives a past decision's status as a string; it is one of a request's.
            { header: 'Outcome', cell: (d) => <StatusBadge status={d.status as RequestStatus} /> },
            { header: 'Total', align: 'right', cell: (d) => <Money minor={d.totalFaceValue} currency={d.currency} /> },
            { header: 'Reason', cell: (d) => d.reason ?? '' },
          ]}
        />
      </section>
    </article>
  );
}

function Recipients({ request }: { request: IssuanceRequest }) {
  const named = request.kind === 'accounts';
  const items = useRequestItems(request.id, named);
  if (!named) {
    return (
      <section aria-labelledby="recipients-heading">
        <h3 id="recipients-heading">Recipients</h3>
        <p>Offline: {request.totalAccounts} activation codes, bound to accounts when they are activated.</p>
      </section>
    );
  }
  const shown = items.data?.items ?? [];
  return (
    <section aria-labelledby="recipients-heading">
      <h3 id="recipients-heading">
        Accounts ({request.totalAccounts})
      </h3>
      {items.isPending ? <Loading label="Loading the accounts…" /> : null}
      {items.error ? <ErrorMessage error={items.error} /> : null}
      {shown.length > 0 ? (
        <ul className="recipients">
          {shown.map((i) => (
            <li key={i.accountId}>{i.accountName}</li>
          ))}
        </ul>
      ) : null}
      {shown.length > 0 && request.totalAccounts > shown.length ? <p>and {request.totalAccounts - shown.length} more.</p> : null}
    </section>
  );
}
