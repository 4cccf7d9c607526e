import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IssuanceRequest } from '../api-types';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { ShowMore } from '../components/ShowMore';
import { formatMoney } from '../money';
import { useApprovalDetail, useDecide, usePartnerNames, useQueue } from './bd-api';
import { QueueList } from './QueueList';
import { RequestDetail } from './RequestDetail';
import type { ReasonFocus } from './DecisionPanel';

/** Keys typed into a field are text, never shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * The BD's approval queue (R2, R9): pending vendor-borne requests of the BD's partners, oldest
 * first, and the one opened (?open=<id>, so it survives a reload) in a detail pane beside it.
 */
export function QueuePage() {
  const queue = useQueue();
  const partners = usePartnerNames();
  const [params, setParams] = useSearchParams();
  const openId = params.get('open');
  const detail = useApprovalDetail(openId);
  const decide = useDecide();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [confirmFor, setConfirmFor] = useState<string | null>(null);
  const [reasonFocus, setReasonFocus] = useState<ReasonFocus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const queueHeadingRef = useRef<HTMLHeadingElement>(null);
  const focusDetailOnLoad = useRef(false);

  const items = queue.data?.items ?? [];

  const open = (id: string, focus: boolean) => {
    setActiveId(id);
    setReasonFocus(null);
    setParams((p) => {
      p.set('open', id);
      return p;
    }, { replace: true });
    focusDetailOnLoad.current = focus;
    if (focus && id === openId && detail.data) headingRef.current?.focus();
  };

  // Enter moves the focus to the opened request's heading once it has loaded.
  useEffect(() => {
    if (detail.data && detail.data.request.id === openId && focusDetailOnLoad.current) {
      focusDetailOnLoad.current = false;
      headingRef.current?.focus();
    }
  }, [detail.data, openId]);

  const onDecided = (r: IssuanceRequest, outcome: 'approved' | 'rejected') => {
    setConfirmFor(null);
    const name = detail.data?.partner.name ?? 'The partner';
    setNotice(
      outcome === 'approved'
        ? `Approved ${name}'s request for ${formatMoney(r.totalFaceValue, r.currency)}; its coupons are being issued.`
        : `Rejected ${name}'s request for ${formatMoney(r.totalFaceValue, r.currency)}.`,
    );
    // The next request in line becomes the active one, and the list gets the focus back.
    const at = items.findIndex((i) => i.id === r.id);
    const rest = items.filter((i) => i.id !== r.id);
    setActiveId(rest[Math.min(Math.max(at, 0), rest.length - 1)]?.id ?? null);
    if (rest.length > 0) listRef.current?.focus();
    else queueHeadingRef.current?.focus();
  };

  // Page-wide shortcuts: `a` approves (confirm step first), `r` goes to the reject reason. They act
  // on the opened request; with none open, they open the active one first. Escape in the detail
  // pane returns to the list.
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
    if (document.querySelector('dialog[open]')) return;
    if (e.key === 'Escape' && (e.target as HTMLElement | null)?.closest('.request-detail')) {
      listRef.current?.focus();
      return;
    }
    if (e.key !== 'a' && e.key !== 'r') return;
    const target = openId && detail.data?.request.status === 'pending_approval' ? openId : activeId;
    if (!target) return;
    e.preventDefault();
    if (target !== openId) open(target, false);
    if (e.key === 'a') setConfirmFor(target);
    else setReasonFocus((f) => ({ requestId: target, n: (f?.n ?? 0) + 1 }));
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  return (
    <Page title="Approval queue" className="queue-page" description={<Shortcuts />}>
      {notice ? (
        <p className="notice" role="status">
          {notice} <Link to="/bd/decisions">See your decisions</Link>
        </p>
      ) : null}
      <div className="queue-layout">
        <section className="queue-column" aria-labelledby="queue-heading">
          <h2 id="queue-heading" ref={queueHeadingRef} tabIndex={-1}>Waiting for you{queue.data ? ` (${items.length}${queue.hasNextPage ? '+' : ''})` : ''}</h2>
          {queue.isPending ? <Loading label="Loading the queue…" /> : null}
          {queue.error ? <ErrorMessage error={queue.error} title="The queue could not be loaded" /> : null}
          {queue.data && items.length === 0 ? (
            <EmptyState title="Nothing waiting for you">New requests from your partners appear here, oldest first.</EmptyState>
          ) : null}
          {items.length > 0 ? (
            <QueueList
              items={items}
              partnerNames={partners.data}
              activeId={activeId}
              openId={openId}
              onActivate={setActiveId}
              onOpen={(id) => open(id, true)}
              listRef={listRef}
            />
          ) : null}
          <ShowMore list={queue} />
        </section>
        <section className="detail-column" aria-label="Request detail">
          {!openId ? <p className="detail-placeholder">Open a request to see its details and decide.</p> : null}
          {openId && detail.isPending ? <Loading label="Loading the request…" /> : null}
          {openId && detail.error ? <ErrorMessage error={detail.error} title="The request could not be loaded" /> : null}
          {detail.data && detail.data.request.id === openId ? (
            <RequestDetail
              detail={detail.data}
              decide={decide}
              headingRef={headingRef}
              confirming={confirmFor === openId}
              setConfirming={(on) => setConfirmFor(on ? openId : null)}
              reasonFocus={reasonFocus}
              onDecided={onDecided}
            />
          ) : null}
        </section>
      </div>
    </Page>
  );
}

function Shortcuts() {
  return (
    <details className="shortcuts" open>
      <summary>Keyboard shortcuts</summary>
      <dl>
        <div>
          <dt>
            <kbd>↓</kbd> <kbd>↑</kbd> or <kbd>j</kbd> <kbd>k</kbd>
          </dt>
          <dd>move through the queue (Tab to it first)</dd>
        </div>
        <div>
          <dt>
            <kbd>Enter</kbd>
          </dt>
          <dd>open the request</dd>
        </div>
        <div>
          <dt>
            <kbd>a</kbd>
          </dt>
          <dd>approve (asks you to confirm)</dd>
        </div>
        <div>
          <dt>
            <kbd>r</kbd>
          </dt>
          <dd>write the reason to reject</dd>
        </div>
        <div>
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>back to the queue</dd>
        </div>
      </dl>
    </details>
  );
}
