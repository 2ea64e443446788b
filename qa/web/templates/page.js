() => {
  // Our own script (no page content in it): a source number scrolls to its passage; opening a
  // whole article scrolls it to the cited passage.
  document.addEventListener('click', (event) => {
    const ref = event.target.closest && event.target.closest('.qa-ref');
    const found = ref && /qa-ref-(\d+)/.exec(ref.className);
    if (!found) return;
    setTimeout(() => {
      const box = document.querySelector('#qa-sources #qa-source-' + found[1]);
      if (!box) return;
      box.scrollIntoView({block: 'start'});
      box.classList.add('qa-flash');
      setTimeout(() => box.classList.remove('qa-flash'), 1500);
    }, 400);
  }, true);
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (!details.open || !details.classList || !details.classList.contains('qa-doc')) return;
    const box = details.querySelector('.qa-doc-text');
    const mark = box && box.querySelector('mark.qa-passage');
    if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 48);
  }, true);
}
