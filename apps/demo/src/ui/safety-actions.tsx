import { reportReasons, type ReportReason } from '@chatroulette/client';
import { useState } from 'preact/hooks';
import { blockPartner, reportPartner } from '../safety.js';

const labels: Record<ReportReason, string> = {
  spam: 'Spam',
  harassment: 'Harassment',
  nudity: 'Nudity',
  underage: 'Under age',
  violence: 'Violence',
  other: 'Something else',
};

/** Block the partner, or report them with one of the contract's reasons (which blocks them too). */
export function SafetyActions({ canReport }: { canReport: boolean }) {
  const [reason, setReason] = useState<ReportReason>(reportReasons[0]);
  return (
    <>
      <button type="button" class="danger" data-testid="block" title="Never meet this person again" onClick={() => void blockPartner()}>
        Block
      </button>
      {canReport && (
        <span class="report">
          <select data-testid="report-reason" aria-label="Reason of the report" value={reason} onChange={(e) => setReason(e.currentTarget.value as ReportReason)}>
            {reportReasons.map((r) => (
              <option key={r} value={r}>
                {labels[r]}
              </option>
            ))}
          </select>
          <button type="button" class="danger" data-testid="report-submit" onClick={() => void reportPartner(reason)}>
            Report
          </button>
        </span>
      )}
    </>
  );
}
