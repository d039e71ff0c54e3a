// The landing page's live status: one server-sent-event stream, no polling.
// Texts for every status come with the page (a JSON block, not script), so
// this file holds no words and no markup: it only swaps text content.
const STATUSES = ['open', 'waiting', 'ready', 'in_session', 'closed', 'expired'];
const FINAL = ['closed', 'expired'];

const status = document.getElementById('status');
const textsBlock = document.getElementById('status-texts');
if (status && textsBlock && typeof EventSource === 'function') {
  const texts = JSON.parse(textsBlock.textContent || '{}');
  const label = status.querySelector('.status-text');
  const source = new EventSource(status.getAttribute('data-events') || '');
  source.addEventListener('status', (event) => {
    let next;
    try {
      next = JSON.parse(event.data).status;
    } catch {
      return;
    }
    if (!STATUSES.includes(next)) return;
    status.setAttribute('data-status', next);
    if (label && typeof texts[next] === 'string') label.textContent = texts[next];
    if (FINAL.includes(next)) {
      source.close();
      // The server renders the page for a link that is over; show that one.
      setTimeout(() => window.location.reload(), 1500);
    }
  });
}
