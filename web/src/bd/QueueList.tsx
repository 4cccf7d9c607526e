import { useEffect, type KeyboardEvent, type Ref } from 'react';
import type { QueuedRequest } from '../api-types';
import { Money } from '../components/Money';
import { Age } from '../components/DateTime';

export const optionId = (requestId: string) => `queue-option-${requestId}`;

/**
 * The queue as a listbox: it keeps the focus (one Tab stop) and marks the active request with
 * aria-activedescendant. ArrowUp/ArrowDown (or k/j), Home and End move; Enter or Space opens the
 * active request in the detail pane; a click does both.
 */
export function QueueList({ items, partnerNames, activeId, openId, onActivate, onOpen, listRef }: {
  items: QueuedRequest[];
  partnerNames: Map<string, string> | undefined;
  activeId: string | null;
  openId: string | null;
  onActivate: (id: string) => void;
  onOpen: (id: string) => void;
  listRef: Ref<HTMLUListElement>;
}) {
  const index = items.findIndex((i) => i.id === activeId);

  useEffect(() => {
    if (activeId) document.getElementById(optionId(activeId))?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const move = (to: number) => {
    const item = items[Math.max(0, Math.min(items.length - 1, to))];
    if (item) onActivate(item.id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowDown':
        case 'j':
          move(index < 0 ? 0 : index + 1);
          return true;
        case 'ArrowUp':
        case 'k':
          move(index < 0 ? 0 : index - 1);
          return true;
        case 'Home':
          move(0);
          return true;
        case 'End':
          move(items.length - 1);
          return true;
        case 'Enter':
        case ' ':
          if (activeId) onOpen(activeId);
          return activeId !== null;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };

  return (
    <ul
      ref={listRef}
      className="queue-list"
      role="listbox"
      aria-label="Requests waiting for your decision, oldest first"
      tabIndex={0}
      aria-activedescendant={activeId && index >= 0 ? optionId(activeId) : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (index < 0 && items[0]) onActivate(items[0].id);
      }}
    >
      {items.map((r) => (
        <li
          key={r.id}
          id={optionId(r.id)}
          role="option"
          aria-selected={r.id === activeId}
          className={['queue-option', r.id === activeId ? 'is-active' : '', r.id === openId ? 'is-open' : ''].join(' ').trim()}
          onClick={() => {
            onActivate(r.id);
            onOpen(r.id);
          }}
        >
          <span className="queue-partner">{partnerNames?.get(r.partnerId) ?? 'Partner'}</span>
          <span className="queue-amount">
            <Money minor={r.totalFaceValue} currency={r.currency} />
          </span>
          <span className="queue-meta">
            {r.kind === 'activation_codes' ? `${r.totalAccounts} activation codes` : `${r.totalAccounts} account${r.totalAccounts === 1 ? '' : 's'}`}
            {' · submitted '}
            <Age iso={r.createdAt} seconds={r.ageSeconds} />
          </span>
        </li>
      ))}
    </ul>
  );
}
