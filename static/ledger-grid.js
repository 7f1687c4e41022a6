/* The ledger edited in place, for the roles that may edit records (templates/productions/ledger/_grid.html).

   The table becomes an ARIA grid with one tab stop: arrow keys move from cell to cell, Enter or F2 opens a cell's
   editor (typing over a title or tracker id opens it too), Enter saves, Tab saves and moves on, Escape cancels;
   Shift+Enter adds a use below, like the current row. Each save posts one cell to the server, which answers with the
   row as it now is (version, consent status, "blocked"); a refusal comes back as the cell's editor with its reason.
   Without this script the table reads as before: titles link to each use, whose full form stays available. */

(() => {
  const root = document.getElementById("ledger-grid");
  if (!root) return;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("grid-status");
  const TYPED = new Set(["title", "external_id"]);
  const CELLS = "td, th";
  // What a cell's keyboard focus lands on: its open editor, link, button or checkbox, else the cell itself.
  const TARGETS = ".grid-input, a[href], button, input, select";
  // Saves of one row, in order: each is made on the version the one before it left.
  const pending = new WeakMap();
  let wantedColumn = 0;

  const table = () => document.querySelector("table.ledger");

  function announce(message) {
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function target(cell) {
    return cell.querySelector(TARGETS) || cell;
  }

  function rows(grid) {
    return Array.from(grid.rows);
  }

  function columnOf(cell) {
    let column = 0;
    for (const before of cell.parentElement.cells) {
      if (before === cell) return column;
      column += before.colSpan;
    }
    return column;
  }

  function cellAt(row, column) {
    let start = 0;
    for (const cell of row.cells) {
      if (column < start + cell.colSpan) return cell;
      start += cell.colSpan;
    }
    return row.cells[row.cells.length - 1];
  }

  // One tab stop for the whole table: the element focused last, or the first cell of the first use.
  function rove(grid, current) {
    grid.querySelectorAll(TARGETS + ", td[tabindex], th[tabindex]").forEach((element) => {
      element.tabIndex = -1;
    });
    const first = grid.tBodies[0] && grid.tBodies[0].querySelector("tr[data-cell-url]");
    const stop = current && grid.contains(current) ? current : first && target(first.cells[0]);
    if (stop) stop.tabIndex = 0;
  }

  function focusCell(cell) {
    const element = target(cell);
    if (element === cell) cell.tabIndex = -1;
    rove(cell.closest("table"), element);
    element.focus();
  }

  function setUp() {
    const grid = table();
    if (!grid || grid.dataset.grid) return;
    grid.dataset.grid = "on";
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-describedby", "grid-keys");
    rove(grid, null);
  }

  function move(cell, rowStep, columnStep) {
    const grid = cell.closest("table");
    const all = rows(grid);
    const row = cell.parentElement;
    if (columnStep) {
      const cells = Array.from(row.cells);
      const next = cells[cells.indexOf(cell) + columnStep];
      if (!next) return;
      wantedColumn = columnOf(next);
      focusCell(next);
      return;
    }
    const index = Math.min(Math.max(all.indexOf(row) + rowStep, 0), all.length - 1);
    focusCell(cellAt(all[index], wantedColumn));
  }

  async function toolOptions() {
    let options = document.getElementById("grid-options-tool");
    if (!options) {
      const response = await fetch(root.dataset.toolsUrl, { credentials: "same-origin" });
      options = document.createElement("template");
      options.id = "grid-options-tool";
      options.innerHTML = await response.text();
      root.append(options);
    }
    return options;
  }

  // The cell's editor, on its value (or on `typed`, a key pressed over a title or tracker id).
  async function open(cell, typed, pointer) {
    const button = cell.querySelector(".grid-edit");
    if (!button || cell.querySelector(".grid-editor")) return;
    const field = button.dataset.field;
    const editor = document.createElement("div");
    editor.className = "grid-editor";
    editor.dataset.field = field;
    const restore = document.createElement("template");
    restore.className = "grid-restore";
    restore.content.append(...Array.from(cell.childNodes, (node) => node.cloneNode(true)));
    let control;
    if (TYPED.has(field)) {
      control = document.createElement("input");
      control.type = "text";
      control.maxLength = Number(button.dataset.maxlength);
      control.value = typed === undefined ? button.dataset.value : typed;
    } else {
      control = document.createElement("select");
      const options = field === "tool" ? await toolOptions() : document.getElementById(`grid-options-${field}`);
      control.append(options.content.cloneNode(true));
      control.value = button.dataset.value;
    }
    control.className = "grid-input";
    control.dataset.field = field;
    control.dataset.original = button.dataset.value;
    control.setAttribute("aria-label", button.dataset.label);
    editor.append(restore, control);
    cell.replaceChildren(editor);
    rove(cell.closest("table"), control);
    control.focus();
    if (control.type === "text") {
      if (typed === undefined) control.select();
      else control.setSelectionRange(control.value.length, control.value.length);
    } else if (pointer && control.showPicker) {
      // Clicked: the list opens at once, and choosing from it saves.
      control.dataset.pointer = "1";
      try {
        control.showPicker();
      } catch {
        // Without a fresh click to allow it, the list opens on the next click.
      }
    }
  }

  function close(editor) {
    const cell = editor.closest(CELLS);
    editor.dataset.closing = "1";
    cell.replaceChildren(editor.querySelector("template.grid-restore").content.cloneNode(true));
    return cell;
  }

  function cancel(editor, refocus) {
    const cell = close(editor);
    if (refocus) focusCell(cell);
  }

  function parseRow(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.querySelector("tr");
  }

  // What to focus again in a cell that came back from the server, as it was before.
  function sameElement(cell, element) {
    for (const selector of [".grid-input", ".grid-edit", ".grid-add-below", "a[href]", "input"]) {
      if (element.matches(selector)) return cell.querySelector(selector);
    }
    return null;
  }

  // The row as the server now has it, cell by cell; an editor opened meanwhile in another cell stays open.
  function merge(row, fresh, savedField) {
    const active = document.activeElement;
    const box = row.querySelector("input[name=uses]");
    const checked = box && box.checked;
    let refocus = null;
    Array.from(fresh.cells).forEach((cell, index) => {
      const old = row.cells[index];
      const open = old.querySelector(".grid-editor");
      if (open && open.dataset.field !== savedField && !cell.querySelector(".grid-editor")) return;
      if (old.contains(active)) refocus = [cell, active];
      old.replaceWith(cell);
    });
    for (const name of ["class", "data-version"]) {
      if (fresh.hasAttribute(name)) row.setAttribute(name, fresh.getAttribute(name));
      else row.removeAttribute(name);
    }
    if (box) row.querySelector("input[name=uses]").checked = checked;
    if (refocus) {
      const element = sameElement(refocus[0], refocus[1]) || target(refocus[0]);
      rove(row.closest("table"), element);
      element.focus();
    } else {
      rove(row.closest("table"), row.closest("table").querySelector("[tabindex='0']"));
    }
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "HX-Request": "true" },
    });
  }

  function queue(row, work) {
    const done = (pending.get(row) || Promise.resolve()).then(work, work);
    pending.set(row, done);
    return done;
  }

  // Save the editor's value; `then` runs once the row is back (with `true` when it was saved).
  function commit(editor, step, then) {
    if (editor.dataset.closing) return;
    const control = editor.querySelector(".grid-input");
    const field = control.dataset.field;
    const value = control.value;
    const unchanged = value === control.dataset.original || value === control.dataset.refused;
    const cell = close(editor);
    const row = cell.parentElement;
    if (step) move(cell, 0, step);
    else if (step === 0) focusCell(cell);
    if (unchanged) {
      if (then) then(true);
      return;
    }
    cell.setAttribute("aria-busy", "true");
    queue(row, async () => {
      const data = new FormData();
      data.append("field", field);
      data.append("value", value);
      data.append("version", row.dataset.version);
      let response;
      try {
        response = await post(row.dataset.cellUrl, data);
      } catch {
        cell.removeAttribute("aria-busy");
        announce(root.dataset.failed);
        return;
      }
      if (![200, 400, 409].includes(response.status)) {
        cell.removeAttribute("aria-busy");
        announce(root.dataset.failed);
        return;
      }
      const fresh = parseRow(await response.text());
      merge(row, fresh, field);
      const now = row.querySelector(`.grid-editor[data-field="${field}"]`);
      if (response.status === 400 && now) {
        const refused = now.querySelector(".grid-input");
        // The reason is read with the editor; while another editor is open it is announced instead of taking the focus.
        if (!document.activeElement.closest(".grid-editor")) {
          rove(row.closest("table"), refused);
          refused.focus();
        } else {
          announce(now.querySelector(".cell-error").textContent);
        }
      } else if (response.status === 409) {
        announce(row.querySelector(".cell-note").textContent);
      } else {
        announce(root.dataset.saved);
      }
      if (then) then(response.status === 200);
    });
  }

  async function addBelow(row) {
    const button = row.querySelector(".grid-add-below");
    if (!button) return;
    await (pending.get(row) || Promise.resolve());
    let response;
    try {
      response = await post(button.formAction, new FormData(document.getElementById("grid-add-below")));
    } catch {
      announce(root.dataset.failed);
      return;
    }
    if (response.status !== 201) {
      announce(response.status === 400 ? await response.text() : root.dataset.failed);
      return;
    }
    const fresh = parseRow(await response.text());
    row.after(fresh);
    const title = row.querySelector("th.use-title a");
    announce(root.dataset.added.replace("%(title)s", title ? title.textContent : ""));
    await open(fresh.querySelector("th.use-title"));
  }

  document.addEventListener("click", (event) => {
    const grid = table();
    if (!grid || !grid.contains(event.target)) return;
    const add = event.target.closest(".grid-add-below");
    if (add) {
      event.preventDefault();
      addBelow(add.closest("tr"));
      return;
    }
    const edit = event.target.closest(".grid-edit");
    if (edit) {
      wantedColumn = columnOf(edit.closest(CELLS));
      open(edit.closest(CELLS), undefined, event.detail > 0);
    }
  });

  document.addEventListener("focusin", (event) => {
    const grid = table();
    if (!grid || !grid.contains(event.target) || event.target.closest(".grid-editor")) return;
    const cell = event.target.closest(CELLS);
    if (cell) wantedColumn = columnOf(cell);
    rove(grid, event.target);
  });

  // Leaving an editor for elsewhere saves what changed in it.
  document.addEventListener("focusout", (event) => {
    const editor = event.target.closest && event.target.closest(".grid-editor");
    if (!editor || (event.relatedTarget && editor.contains(event.relatedTarget))) return;
    commit(editor);
  });

  // A list chosen from with the mouse saves on choosing; with the keyboard, arrows browse and Enter saves.
  document.addEventListener("pointerdown", (event) => {
    if (event.target.matches && event.target.matches("select.grid-input")) event.target.dataset.pointer = "1";
  });
  document.addEventListener("change", (event) => {
    const control = event.target;
    if (control.matches("select.grid-input") && control.dataset.pointer) commit(control.closest(".grid-editor"), 0);
  });

  function onEditorKey(event, editor) {
    if (event.key === "Escape") {
      event.preventDefault();
      cancel(editor, true);
    } else if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      const row = editor.closest("tr");
      commit(editor, 0, (saved) => saved && addBelow(row));
    } else if (event.key === "Enter") {
      event.preventDefault();
      commit(editor, 0);
    } else if (event.key === "Tab") {
      event.preventDefault();
      commit(editor, event.shiftKey ? -1 : 1);
    }
  }

  const MOVES = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
    PageUp: [-10, 0],
    PageDown: [10, 0],
  };

  document.addEventListener("keydown", (event) => {
    const grid = table();
    if (!grid || !grid.contains(event.target)) return;
    const editor = event.target.closest(".grid-editor");
    if (editor) {
      onEditorKey(event, editor);
      return;
    }
    const cell = event.target.closest(CELLS);
    if (!cell || event.altKey || event.metaKey) return;
    const row = cell.parentElement;
    const editable = cell.querySelector(".grid-edit");
    if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      addBelow(row);
    } else if (event.key === "F2" && editable) {
      event.preventDefault();
      open(cell);
    } else if (MOVES[event.key] && !event.ctrlKey && !event.shiftKey) {
      event.preventDefault();
      move(cell, ...MOVES[event.key]);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      const all = rows(grid);
      const line = event.ctrlKey ? all[event.key === "Home" ? 0 : all.length - 1] : row;
      const cells = line.cells;
      const next = event.ctrlKey ? cellAt(line, wantedColumn) : cells[event.key === "Home" ? 0 : cells.length - 1];
      if (!event.ctrlKey) wantedColumn = columnOf(next);
      focusCell(next);
    } else if (
      editable &&
      TYPED.has(editable.dataset.field) &&
      event.key.length === 1 &&
      event.key !== " " &&
      !event.ctrlKey
    ) {
      // Typing over a title or tracker id replaces it, as in a spreadsheet.
      event.preventDefault();
      open(cell, event.key);
    }
  });

  setUp();
  // The bulk actions swap the whole table: make the new one a grid too.
  document.addEventListener("htmx:afterSettle", setUp);
})();
