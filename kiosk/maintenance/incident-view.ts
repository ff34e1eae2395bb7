import { fillGuideText, INCIDENT_GUIDES } from '../incidents/guides.ts';
import type { Incident } from '../incidents/incidents.ts';
import type { IncidentView } from './view-model.ts';

/** An incident with its guide's texts filled from its fields, as the incidents screen shows it. */
export function incidentView(i: Incident): IncidentView {
  const g = INCIDENT_GUIDES[i.kind];
  const fields = { ...i.detail, applicationNo: i.applicationNo };
  const fill = (t: { id: string; en: string }) => ({
    id: fillGuideText(t.id, fields),
    en: fillGuideText(t.en, fields),
  });
  return {
    ...i,
    title: g.title,
    saw: fill(g.saw),
    steps: g.steps.map(fill),
    closesByItself: g.cause !== undefined,
  };
}
