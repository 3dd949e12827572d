import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { reorderKeyOf } from './shortcuts.js';

/**
 * The speakers list as the chair manages it: drag a request, or focus its handle and use
 * Alt+Up / Alt+Down / Delete. The order shown is always the server's; a move is a request.
 */
export function SpeakersListEditor() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const nameOf = useDelegationName();
  const list = live.state.floor.speakersList;
  const [dragged, setDragged] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const keepFocusOn = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // A moved item may be re-inserted in the DOM, which drops focus: give it back.
  useEffect(() => {
    const code = keepFocusOn.current;
    if (!code || !list.some((r) => r.delegation === code)) return;
    listRef.current?.querySelector<HTMLButtonElement>(`[data-handle="${code}"]`)?.focus();
  }, [list]);

  const move = async (delegation: string, position: number) => {
    if (position < 0 || position >= list.length) return;
    keepFocusOn.current = delegation;
    const done = await request('floor:move', { delegation, position });
    if (done) setAnnouncement(t('chair.moved', { delegation: nameOf(delegation), position: position + 1 }));
  };

  const remove = (delegation: string) => {
    keepFocusOn.current = null;
    void request('floor:remove', { delegation });
  };

  return (
    <>
      <ol ref={listRef} className="speakers speakers--editable" aria-label={t('floor.speakersList')}>
        {list.map((entry, index) => {
          const delegation = live.delegations.find((d) => d.code === entry.delegation);
          const name = nameOf(entry.delegation);
          return (
            <li
              key={entry.delegation}
              className={
                dragged === entry.delegation ? 'speakers__item speakers__item--dragged' : 'speakers__item'
              }
              draggable
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = 'move';
                event.dataTransfer.setData('text/plain', entry.delegation);
                setDragged(entry.delegation);
              }}
              onDragOver={(event) => event.preventDefault()}
              onDrop={(event) => {
                event.preventDefault();
                const from = dragged ?? event.dataTransfer.getData('text/plain');
                if (from && from !== entry.delegation) void move(from, index);
                setDragged(null);
              }}
              onDragEnd={() => setDragged(null)}
            >
              <button
                type="button"
                className="handle"
                data-handle={entry.delegation}
                aria-label={t('chair.reorder', { delegation: name })}
                aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete"
                onKeyDown={(event) => {
                  const key = reorderKeyOf(event);
                  if (!key) return;
                  event.preventDefault();
                  if (key === 'remove') remove(entry.delegation);
                  else void move(entry.delegation, key === 'up' ? index - 1 : index + 1);
                }}
              >
                <span aria-hidden="true">⠿</span>
              </button>
              <span className="speakers__position">{index + 1}</span>
              {delegation && <Flag delegation={delegation} className="speakers__flag" />}
              <span className="speakers__name">{name}</span>
              {entry.kind !== 'speak' && <span className="tag">{t(`floor.kind.${entry.kind}`)}</span>}
              <button
                type="button"
                className="button button--small"
                aria-label={t('chair.remove', { delegation: name })}
                onClick={() => remove(entry.delegation)}
              >
                {t('chair.removeShort')}
              </button>
            </li>
          );
        })}
      </ol>
      {list.length === 0 ? (
        <p className="speakers-empty">{t('floor.emptyList')}</p>
      ) : (
        <p className="hint">{t('chair.reorderHint')}</p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
