/**
 * Tabs as the WAI-ARIA pattern describes them: one tab stop, arrow keys (and Home/End) move
 * between tabs and select them, the panel is labelled by its tab.
 * https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
}

export function Tabs<T extends string>(props: { label: string; tabs: TabSpec<T>[]; current: T; onChange: (id: T) => void; children: ReactNode }) {
  const base = useId();
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const index = props.tabs.findIndex((t) => t.id === props.current);

  function onKeyDown(e: KeyboardEvent) {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % props.tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + props.tabs.length) % props.tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = props.tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = props.tabs[next]!;
    props.onChange(tab.id);
    refs.current.get(tab.id)?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={props.label} className="tablist" onKeyDown={onKeyDown}>
        {props.tabs.map((t) => {
          const isCurrent = t.id === props.current;
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el);
                else refs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={isCurrent}
              aria-controls={`${base}-panel`}
              tabIndex={isCurrent ? 0 : -1}
              onClick={() => props.onChange(t.id)}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${props.current}`} className="tabpanel">
        {props.children}
      </div>
    </div>
  );
}
