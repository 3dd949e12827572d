import {
  type InvitationRequest,
  inPrecedenceOrder,
  type Role,
  type SummitDocument,
} from '@summit-bridge/protocol';
import type { InvitationService } from '../invitations/InvitationService.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import { demoSummit } from './index.js';

/** A delegation that chairs sessions only together with another. */
function coChairsOnly(doc: SummitDocument, code: string): boolean {
  return doc.sessions.filter((s) => s.chairs.includes(code)).every((s) => s.chairs.length > 1);
}

export interface DemoLink {
  label: string;
  role: Role;
  joinUrl: string;
}

/**
 * Loads the demo summit (unless the store already has it: a restart keeps its state) and issues
 * one invitation per delegation for every session it takes part in, one per chair delegation
 * for the sessions it chairs, interpreters for every booth, and one for a technician.
 */
export async function seedDemo(summits: SummitCatalog, invitations: InvitationService): Promise<DemoLink[]> {
  const doc = (await summits.get('asean-2020')) ?? demoSummit();
  await summits.put(doc);
  const links: DemoLink[] = [];
  const invite = async (label: string, request: InvitationRequest) => {
    const { joinUrl } = await invitations.issue(doc, request);
    links.push({ label, role: request.role, joinUrl });
  };

  // The chair first, then co-chairs, each in precedence order.
  const chairsFirst = inPrecedenceOrder(doc.delegations).sort(
    (a, b) => Number(coChairsOnly(doc, a.code)) - Number(coChairsOnly(doc, b.code)),
  );
  for (const delegation of chairsFirst) {
    const chaired = doc.sessions.filter((s) => s.chairs.includes(delegation.code));
    if (chaired.length === 0) continue;
    const role: Role = coChairsOnly(doc, delegation.code) ? 'co_chair' : 'chair';
    await invite(`${role === 'chair' ? 'Chair' : 'Co-chair'} (${delegation.name.en})`, {
      name: `${role === 'chair' ? 'Chair' : 'Co-chair'}, ${delegation.name.en}`,
      delegation: delegation.code,
      role,
      sessions: chaired.map((s) => s.id),
    });
  }
  for (const delegation of inPrecedenceOrder(doc.delegations)) {
    const sessions = doc.sessions.filter((s) => s.delegations.includes(delegation.code));
    if (sessions.length === 0) continue;
    await invite(delegation.name.en, {
      name: `Head of Delegation, ${delegation.name.en}`,
      delegation: delegation.code,
      role: 'head_of_delegation',
      sessions: sessions.map((s) => s.id),
    });
  }
  // Interpreters: two in each booth where the demo shows a handover (vi), one elsewhere.
  const boothLanguages = [...new Set(doc.sessions.flatMap((s) => s.interpretation?.booths ?? []))];
  for (const booth of boothLanguages) {
    const sessions = doc.sessions.filter((s) => s.interpretation?.booths.includes(booth)).map((s) => s.id);
    const staff = booth === 'vi' ? [1, 2] : [1];
    for (const n of staff)
      await invite(`Interpreter (${booth})${staff.length > 1 ? ` ${n}` : ''}`, {
        name: `Interpreter ${booth.toUpperCase()}${staff.length > 1 ? ` ${n}` : ''}`,
        delegation: null,
        role: 'interpreter',
        sessions,
        booth,
      });
  }
  await invite('Technician', {
    name: 'Technician',
    delegation: null,
    role: 'technician',
    sessions: doc.sessions.map((s) => s.id),
  });
  return links;
}
