import { type BallotChoice, can, isChairRole, type MajorityRule, type Vote } from '@summit-bridge/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { useProceedings } from './useProceedings.js';

const choices: BallotChoice[] = ['yes', 'no', 'abstain', 'not_participating'];
const rules: MajorityRule[] = ['simple', 'two_thirds', 'unanimity'];

/** A roll-call vote: called by the chair, one ballot per delegation in precedence order, shown live. */
export function VoteSection() {
  const { t } = useTranslation();
  const state = useProceedings();
  const { live } = useSession();
  const heading = useId();
  if (!state) return null;
  const vote = state.votes.at(-1);
  const busy = state.adoptions.some((a) => a.status === 'open') || vote?.status === 'open';
  const mayCall = isChairRole(live.you.role) && !busy;
  if (!vote && !mayCall) return null;
  return (
    <section className="proceedings__vote" aria-labelledby={heading}>
      <h3 id={heading}>{t('proceedings.vote')}</h3>
      {vote && <VoteView vote={vote} />}
      {mayCall && <CallVote />}
    </section>
  );
}

function VoteView({ vote }: { vote: Vote }) {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const nameOf = useDelegationName();
  const you = live.you;
  const mine = vote.ballots.find((b) => b.delegation === you.delegation)?.choice ?? null;
  const name = useId();
  const legend = useId();
  const tally = vote.tally;
  return (
    <>
      <p>
        <strong>{vote.question}</strong> ({t(`proceedings.rule.${vote.majority}`)})
      </p>
      <ol className="roll-call" aria-label={t('proceedings.rollCall')}>
        {live.delegations.map((d) => {
          const ballot = vote.ballots.find((b) => b.delegation === d.code);
          return (
            <li key={d.code}>
              {nameOf(d.code)}: {ballot ? t(`proceedings.choice.${ballot.choice}`) : '—'}
            </li>
          );
        })}
      </ol>
      {vote.status === 'open' && you.delegation !== null && can(you.role, 'vote.cast') && (
        <div className="ballot" role="radiogroup" aria-labelledby={legend}>
          <p id={legend} className="ballot__legend">
            {t('proceedings.yourVote')}
          </p>
          {choices.map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name={name}
                checked={mine === choice}
                onChange={() =>
                  void request('proceedings:castBallot', {
                    voteId: vote.id,
                    delegation: you.delegation ?? '',
                    choice,
                  })
                }
              />{' '}
              {t(`proceedings.choice.${choice}`)}
            </label>
          ))}
        </div>
      )}
      {vote.status === 'open' && isChairRole(you.role) && (
        <button
          type="button"
          className="button"
          onClick={() => void request('proceedings:closeVote', { voteId: vote.id })}
        >
          {t('proceedings.closeVote')}
        </button>
      )}
      {tally && (
        <p aria-live="polite" className="vote__result">
          {t('proceedings.tally', tally)}{' '}
          <strong>
            {!tally.quorate
              ? t('proceedings.noQuorum')
              : tally.carried
                ? t('proceedings.carried')
                : t('proceedings.notCarried')}
          </strong>
        </p>
      )}
    </>
  );
}

function CallVote() {
  const { t } = useTranslation();
  const { request } = useSession();
  const state = useProceedings();
  const [question, setQuestion] = useState('');
  const [majority, setMajority] = useState<MajorityRule>('simple');
  const [documentId, setDocumentId] = useState('');
  const [minutes, setMinutes] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const document = state?.documents.find((d) => d.id === documentId);
    const version = document?.versions.at(-1)?.version;
    const durationSec = Math.round(Number(minutes) * 60);
    void request('proceedings:callVote', {
      question: question.trim(),
      majority,
      ...(document && version ? { documentId: document.id, version } : {}),
      ...(durationSec > 0 ? { durationSec } : {}),
    }).then((ok) => {
      if (ok) setQuestion('');
    });
  };
  return (
    <form className="call-vote" onSubmit={submit}>
      <label>
        {t('proceedings.question')}{' '}
        <input value={question} required maxLength={500} onChange={(e) => setQuestion(e.target.value)} />
      </label>
      <label>
        {t('proceedings.onDocument')}{' '}
        <select value={documentId} onChange={(e) => setDocumentId(e.target.value)}>
          <option value="">—</option>
          {state?.documents.map((d) => (
            <option key={d.id} value={d.id}>
              {d.symbol}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('proceedings.majority')}{' '}
        <select value={majority} onChange={(e) => setMajority(e.target.value as MajorityRule)}>
          {rules.map((r) => (
            <option key={r} value={r}>
              {t(`proceedings.rule.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('proceedings.voteMinutes')}{' '}
        <input
          type="number"
          min={1}
          max={1440}
          size={5}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <button type="submit" className="button">
        {t('proceedings.callVote')}
      </button>
    </form>
  );
}
