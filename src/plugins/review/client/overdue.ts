// "Review overdue" as of today, not as of the build: a page built in a fresh state can be
// overdue when it is read, and the number of days moves every day. Loaded by
// site/client/boot.ts on runbook pages; without JS the banner says what the build knew.
import { reviewAge } from '../status.ts';

for (const banner of document.querySelectorAll<HTMLElement>('[data-rb-review-last]')) {
  const last = Date.parse(`${banner.dataset.rbReviewLast}T00:00:00Z`);
  const every = Number(banner.dataset.rbReviewEvery);
  if (!Number.isFinite(last) || !(every > 0)) continue;
  // Days on the reader's own calendar: today's local date against the review date, both
  // at midnight UTC so a daylight-saving change never shortens a day.
  const now = new Date();
  const { ageDays, overdue } = reviewAge(last, every, Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  banner.hidden = !overdue;
  const days = banner.querySelector('[data-rb-review-days]');
  if (days) days.textContent = ` (${ageDays} days ago)`;
  for (const chip of document.querySelectorAll<HTMLElement>('[data-rb-overdue-chip]')) chip.hidden = !overdue;
}
