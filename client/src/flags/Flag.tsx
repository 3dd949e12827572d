import type { Delegation } from '@summit-bridge/protocol';
import { drawings } from './drawings.js';

export interface FlagProps {
  delegation: Pick<Delegation, 'code' | 'flag'>;
  className?: string;
}

/**
 * A delegation's flag, or its emblem, or a plain plate with its code when we have neither.
 * Always beside the delegation's written name, so hidden from assistive technology.
 */
export function Flag({ delegation, className }: FlagProps) {
  const Drawing = (delegation.flag && drawings[delegation.flag]) || drawings[delegation.code];
  const classes = ['flag', className].filter(Boolean).join(' ');
  return (
    <svg viewBox="0 0 30 20" className={classes} aria-hidden="true">
      {Drawing ? (
        <Drawing />
      ) : (
        <>
          <rect width={30} height={20} fill="#5b6472" />
          <text x={15} y={13.5} fontSize={8} textAnchor="middle" fill="#ffffff" fontFamily="sans-serif">
            {delegation.code}
          </text>
        </>
      )}
      <rect width={30} height={20} fill="none" stroke="rgba(0,0,0,0.35)" strokeWidth={0.4} />
    </svg>
  );
}
