// The demo summit `npm start` loads: the ASEAN 2020 online meetings on COVID-19.
import { SummitDocument } from '@summit-bridge/protocol';
import demo from './asean-2020.json' with { type: 'json' };

export function demoSummit(): SummitDocument {
  return SummitDocument.parse(demo);
}
