// Live preview of the 상세페이지 on the product form: when typing pauses, the form is sent to the
// preview frame — the same request the 미리보기 button makes — so the page itself never reloads
// and nothing typed moves. Without JavaScript the button still works.
(() => {
  const button = document.querySelector('[data-testid="preview-now"]');
  const form = button && button.form;
  if (!form || typeof form.requestSubmit !== 'function') return;
  let timer;
  const refresh = (event) => {
    // Choosing a photo is not an edit of the page; the upload button saves it.
    if (event.target && event.target.type === 'file') return;
    clearTimeout(timer);
    timer = setTimeout(() => form.requestSubmit(button), 500);
  };
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
})();
