/* Reelproof: the little behaviour the pages need, kept out of the HTML (Content-Security-Policy: no inline
   script, no eval, so no hx-on attributes). */

// The ledger's "select every use on this page" box.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("input[data-select-all]")) return;
  box.closest("table").querySelectorAll("input[name=uses]").forEach((use) => {
    use.checked = box.checked;
  });
});

// Once every use of a page is ticked, the ledger offers every use matching its filters; unticking one withdraws it.
document.addEventListener("change", (event) => {
  const box = event.target;
  const offer = document.getElementById("select-matching");
  if (!offer || !box.matches("input[data-select-all], input[name=uses]")) return;
  if (box.matches("[data-select-all]")) offer.hidden = !box.checked;
  if (!box.checked) offer.querySelector("input[name=scope]").checked = false;
});

// A bulk edit's preview opens below the selection bar: take the reader to it.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id !== "bulk-preview") return;
  const heading = event.detail.target.querySelector("h2");
  if (heading) heading.focus();
});

// A form marked data-swap-refusals shows a 400 answer (the refusal with the unchanged content), or a 409 (what changed
// meanwhile), instead of dropping it.
document.addEventListener("htmx:beforeSwap", (event) => {
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if ([400, 409].includes(event.detail.xhr.status) && source && source.closest("[data-swap-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// On a consent's page: tick every use whose coverage legal has yet to confirm (or confirm again).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-select-to-confirm]");
  if (!button) return;
  const form = button.closest("form");
  document.querySelectorAll(`input[form="${form.id}"][name=uses]`).forEach((use) => {
    use.checked = use.hasAttribute("data-to-confirm");
  });
});
