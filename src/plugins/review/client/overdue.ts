// "Review overdue" as of today, not as of the build: a page built in a fresh state can be
// overdue when it is read, and the number of days moves every day. Loaded by
// site/client/boot.ts on runbook pages; without JS the header card says what the build knew.
import { reviewAge } from '../status.ts';

for (const card of document.querySelectorAll<HTMLElement>('[data-rb-review-last]')) {
  const last = Date.parse(`${card.dataset.rbReviewLast}T00:00:00Z`);
  const every = Number(card.dataset.rbReviewEvery);
  if (!Number.isFinite(last) || !(every > 0)) continue;
  // Days on the reader's own calendar: today's local date against the review date, both
  // at midnight UTC so a daylight-saving change never shortens a day.
  const now = new Date();
  const { ageDays, overdue } = reviewAge(last, every, Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  // The summary line's notice and the advice under "Last review" in the card's details.
  for (const el of card.querySelectorAll<HTMLElement>('[data-rb-overdue]')) el.hidden = !overdue;
  const days = card.querySelector('[data-rb-review-days]');
  if (days) days.textContent = ` (${ageDays} days ago)`;
}
