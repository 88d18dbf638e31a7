// Schema docs in the builder, like `kubectl explain`, with no request: the page carries them once
// in <script type="application/json" id="field-docs"> (engine/fielddocs.page_docs).
// - Form fields: a "?" button per field toggles its docs (Enter or Space; Escape closes; hovering
//   the button shows them until the pointer leaves).
// - YAML preview: hovering a key shows its docs in a tooltip; with the keyboard, focus the YAML,
//   then the arrow keys walk from key to key and show each one's docs; Escape hides them.
(function () {
  "use strict";

  let cachedNode = null;
  let cachedData = null;
  function data() {
    const node = document.getElementById("field-docs");
    if (node !== cachedNode) {
      cachedNode = node;
      cachedData = null;
      if (node) {
        try { cachedData = JSON.parse(node.textContent); } catch (error) { cachedData = null; }
      }
    }
    return cachedData;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A path's docs from the tree of steps (see fielddocs.page_docs), or null.
  function lookup(info, segments) {
    let node = info.docs;
    for (let index = 0; index < segments.length; index++) {
      node = Object.prototype.hasOwnProperty.call(node, segments[index]) ? node[segments[index]] : null;
      if (!node) return null;
    }
    const entry = node._;
    if (!entry) return null;
    return {
      type: entry[0], text: info.texts[entry[1]], flags: entry[2] || 0, fallback: entry[3] || "",
      since: entry[4] || "", note: entry[5] === undefined || entry[5] === null ? "" : info.texts[entry[5]]
    };
  }

  // "spec.containers[0].livenessProbe@kind" -> spec, containers, [*], livenessProbe, @kind
  function steps(name) {
    return name.match(/\[[^\]]*\]|@[^.[]+|[^.[@]+/g).map(function (step) {
      return step[0] === "[" ? "[*]" : step;
    });
  }

  function joined(segments) {
    return segments.reduce(function (path, segment) {
      if (segment === "[*]" || segment[0] === "@") return path + segment;
      return path ? path + "." + segment : segment;
    }, "");
  }

  // The schema's "More info: https://…" as a link (a new tab: the builder stays as it is).
  function linked(node, text) {
    text.split(/(https:\/\/[^\s<>"]+[^\s<>".,;:)])/).forEach(function (part, index) {
      if (index % 2 === 0) {
        if (part) node.append(part);
        return;
      }
      const link = element("a", "doc-link", part);
      link.href = part;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      node.append(link);
    });
    return node;
  }

  // The docs of `path` as DOM nodes: the path and its type, its flags, the note, the
  // description and the default. `mapKey` names the key when the docs are of the map above it.
  function docNodes(path, doc, info, mapKey) {
    const nodes = [];
    const head = element("p", "doc-head");
    head.append(element("code", "doc-path", path), " ", element("span", "doc-type", "<" + doc.type + ">"));
    nodes.push(head);
    const flags = element("p", "doc-flags");
    if (doc.flags & 1) flags.append(element("span", "doc-flag", "required"));
    if (doc.flags & 2) flags.append(element("span", "doc-flag doc-warn", "deprecated"));
    if (doc.flags & 4) {
      flags.append(element("span", "doc-flag doc-warn",
        "needs Kubernetes " + doc.since + "+: newer than " + info.version + ", the version checked here"));
    } else if (doc.since) {
      flags.append(element("span", "doc-flag", "Kubernetes " + doc.since + "+"));
    }
    if (flags.childNodes.length) nodes.push(flags);
    if (mapKey) nodes.push(element("p", "doc-note", "“" + mapKey + "” is a key of this map; the schema describes the map."));
    if (doc.note) nodes.push(element("p", "doc-note", "Note: " + doc.note));
    (doc.text || "No description in the schema.").split("\n").forEach(function (paragraph) {
      if (paragraph.trim()) nodes.push(linked(element("p", "doc-text"), paragraph));
    });
    if (doc.fallback) nodes.push(element("p", "doc-default", "Default: " + doc.fallback));
    nodes.push(element("p", "doc-source", "From the OpenAPI schema of Kubernetes " + info.version + "."));
    return nodes;
  }

  // --- form fields ---------------------------------------------------------------------------

  // Each field of the form gets a "?" button and an empty place for its docs, after its control:
  // made here, not by the server, so the page carries no markup per field and none without
  // JavaScript (the button could not work then).
  function addButtons(root) {
    const info = data();
    if (!info) return;
    const fields = Array.prototype.slice.call((root || document).querySelectorAll("#builder-form .field"));
    if (root && root.matches && root.matches("#builder-form .field")) fields.push(root);
    fields.forEach(function (field) {
      if (field.querySelector(":scope > .doc-button")) return;
      const control = field.querySelector("input[name]:not([type=hidden]), select[name], textarea[name]");
      if (!control || !control.id) return;
      const name = control.name.replace(/@(?:unit|tag)$/, "");
      if (!lookup(info, steps(name))) return;
      const labelNode = field.querySelector("label[for='" + control.id + "']");
      const label = labelNode ? labelNode.textContent.trim() : name;
      const button = element("button", "doc-button");
      button.type = "button";
      button.dataset.docFor = name;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", "doc-" + control.id);
      button.append(element("span", "", "?"), element("span", "visually-hidden", "Schema docs: " + label));
      button.firstChild.setAttribute("aria-hidden", "true");
      const panel = element("div", "field-doc");
      panel.id = "doc-" + control.id;
      panel.hidden = true;
      const help = field.querySelector(":scope > .help");
      field.insertBefore(button, help);
      field.insertBefore(panel, help);
    });
  }

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function openDoc(button, peek) {
    const info = data();
    const panel = panelOf(button);
    if (!info || !panel) return;
    const segments = steps(button.dataset.docFor);
    const doc = lookup(info, segments);
    if (!doc) return;
    panel.replaceChildren.apply(panel, docNodes(joined(segments), doc, info));
    panel.hidden = false;
    if (peek) {
      panel.dataset.peek = "1";
    } else {
      delete panel.dataset.peek;
      button.setAttribute("aria-expanded", "true");
    }
  }

  function closeDoc(button) {
    const panel = panelOf(button);
    if (panel) {
      panel.hidden = true;
      delete panel.dataset.peek;
    }
    button.setAttribute("aria-expanded", "false");
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest(".doc-button");
    if (!button) return;
    if (button.getAttribute("aria-expanded") === "true") closeDoc(button);
    else openDoc(button, false);
  });

  document.addEventListener("mouseover", function (event) {
    const button = event.target.closest(".doc-button");
    if (button && button.getAttribute("aria-expanded") !== "true") openDoc(button, true);
  });
  document.addEventListener("mouseout", function (event) {
    const button = event.target.closest(".doc-button");
    if (!button || button.contains(event.relatedTarget)) return;
    const panel = panelOf(button);
    if (panel && panel.dataset.peek) closeDoc(button);
  });

  // --- keys of the YAML preview ----------------------------------------------------------------

  const KEY_LINE = /^(\s*)((?:-\s+)*)$/;

  function unquote(key) {
    if (key.length > 1 && key[0] === "\"" && key[key.length - 1] === "\"") {
      try { return JSON.parse(key); } catch (error) { return key.slice(1, -1); }
    }
    if (key.length > 1 && key[0] === "'" && key[key.length - 1] === "'") return key.slice(1, -1).replace(/''/g, "'");
    return key;
  }

  // The block-style key a line starts with: its column, the columns of the list dashes before
  // it, and its name; null for any other line (a value, a comment, a flow map, a block scalar's
  // text, whose "keys" are not keys).
  function lineKey(line) {
    const key = line.querySelector(".k");
    if (!key) return null;
    let before = "";
    for (let node = line.firstChild; node; node = node.nextSibling) {
      if (node === key || node.contains(key)) break;
      before += node.textContent;
    }
    const match = KEY_LINE.exec(before);
    if (!match) return null;
    const dashes = [];
    let column = match[1].length;
    const dashText = match[2];
    for (let index = 0; index < dashText.length; index++) {
      if (dashText[index] === "-") dashes.push(column + index);
    }
    return { key: key, column: before.length, dashes: dashes, name: unquote(key.textContent) };
  }

  // The path of a key span, as segments ("spec", "containers", "[*]", "image"), read from the
  // indentation of the lines above it, as a YAML parser nests block mappings and sequences.
  function keyPath(keySpan) {
    const line = keySpan.closest(".line");
    const code = keySpan.closest("code");
    if (!line || !code) return null;
    let stack = [];
    const lines = code.querySelectorAll(".line");
    for (let index = 0; index < lines.length; index++) {
      const current = lines[index];
      const text = current.textContent;
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(text)) { stack = []; continue; }
      const found = lineKey(current);
      if (!found) {
        if (current === line) return null;
        continue;
      }
      found.dashes.forEach(function (column) {
        stack = stack.filter(function (entry) {
          return entry.column < column || (entry.column === column && !entry.item);
        });
        stack.push({ column: column, item: true });
      });
      stack = stack.filter(function (entry) { return entry.column < found.column; });
      stack.push({ column: found.column, name: found.name });
      if (current === line) {
        if (found.key !== keySpan) return null;
        return stack.map(function (entry) { return entry.item ? "[*]" : entry.name; });
      }
    }
    return null;
  }

  // The docs of a key: its own, or, for a key of a map (a label, a limit), the map's.
  function keyDoc(keySpan) {
    const info = data();
    const segments = keyPath(keySpan);
    if (!info || !segments) return null;
    const own = lookup(info, segments);
    if (own) return { path: joined(segments), doc: own, info: info };
    for (let end = segments.length - 1; end > 0; end--) {
      const doc = lookup(info, segments.slice(0, end));
      if (doc) {
        if (doc.type.indexOf("map[") !== 0) return null;
        return { path: joined(segments.slice(0, end)), doc: doc, info: info, mapKey: segments[end] };
      }
    }
    return null;
  }

  let tooltip = null;
  let currentKey = null;
  function tooltipNode() {
    if (!tooltip || !document.body.contains(tooltip)) {
      tooltip = element("div", "yaml-key-doc");
      tooltip.id = "yaml-key-doc";
      tooltip.setAttribute("role", "tooltip");
      tooltip.hidden = true;
      (document.getElementById("main") || document.body).append(tooltip);  // inside a landmark
    }
    return tooltip;
  }

  function showKeyDoc(keySpan) {
    const found = keyDoc(keySpan);
    const tip = tooltipNode();
    if (found) {
      tip.replaceChildren.apply(tip, docNodes(found.path, found.doc, found.info, found.mapKey));
    } else {
      tip.replaceChildren(element("p", "doc-text", "No schema docs for “" + keySpan.textContent + "”: the form and the schema do not know this key here."));
    }
    tip.hidden = false;
    currentKey = keySpan;
    place(keySpan);
    keySpan.setAttribute("aria-describedby", tip.id);
  }

  function place(keySpan) {
    const tip = tooltipNode();
    const box = keySpan.getBoundingClientRect();
    const width = Math.min(28 * 16, window.innerWidth - 16);
    tip.style.maxWidth = width + "px";
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 4 + "px";
  }

  function hideKeyDoc() {
    currentKey = null;
    if (tooltip) tooltip.hidden = true;
    document.querySelectorAll(".yaml .k[aria-describedby]").forEach(function (key) {
      key.removeAttribute("aria-describedby");
    });
  }

  // The YAML can take focus, and its keys can take focus from the arrow keys (not from Tab).
  function prepareYaml(root) {
    const pres = Array.prototype.slice.call((root || document).querySelectorAll("pre.yaml"));
    if (root && root.matches && root.matches("pre.yaml")) pres.push(root);
    pres.forEach(function (pre) {
      if (!pre.hasAttribute("tabindex")) pre.setAttribute("tabindex", "0");
      pre.classList.add("has-key-docs");
      if (!pre.hasAttribute("aria-describedby")) {
        let hint = document.getElementById("yaml-keys-hint");
        if (!hint) {
          hint = element("p", "visually-hidden", "Arrow keys move from key to key and show each key's docs from the schema; Escape hides them.");
          hint.id = "yaml-keys-hint";
          (document.getElementById("main") || document.body).append(hint);
        }
        pre.setAttribute("aria-describedby", hint.id);
      }
    });
  }

  document.addEventListener("mouseover", function (event) {
    const key = event.target.closest && event.target.closest(".yaml .k");
    if (key) showKeyDoc(key);
  });
  document.addEventListener("mouseout", function (event) {
    const key = event.target.closest && event.target.closest(".yaml .k");
    if (key && document.activeElement !== key) hideKeyDoc();
  });

  function keysOf(pre) {
    return Array.prototype.slice.call(pre.querySelectorAll(".k"));
  }

  function moveKey(pre, from, step) {
    const keys = keysOf(pre);
    if (!keys.length) return;
    let index = keys.indexOf(from);
    index = index < 0 ? (step > 0 ? 0 : keys.length - 1) : Math.max(0, Math.min(keys.length - 1, index + step));
    const key = keys[index];
    key.setAttribute("tabindex", "-1");
    key.focus();
    showKeyDoc(key);
  }

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (event.key === "Escape") {
      const field = target.closest && target.closest(".field");
      const button = field && field.querySelector(".doc-button");
      const panel = button && panelOf(button);
      if (panel && !panel.hidden) {
        closeDoc(button);
        if (panel.contains(target)) button.focus();
        event.preventDefault();
        return;
      }
      if (tooltip && !tooltip.hidden) {
        const pre = target.closest && target.closest("pre.yaml");
        hideKeyDoc();
        if (pre && target !== pre) pre.focus();
        event.preventDefault();
      }
      return;
    }
    const pre = target.closest && target.closest("pre.yaml");
    if (!pre) return;
    const onKey = target.classList && target.classList.contains("k") ? target : null;
    if (event.key === "ArrowDown" || event.key === "ArrowRight") {
      moveKey(pre, onKey, 1);
      event.preventDefault();
    } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
      moveKey(pre, onKey, -1);
      event.preventDefault();
    } else if (event.key === "Home" || event.key === "End") {
      moveKey(pre, null, event.key === "Home" ? 1 : -1);
      event.preventDefault();
    }
  });
  document.addEventListener("focusout", function (event) {
    const key = event.target.classList && event.target.classList.contains("k") ? event.target : null;
    if (key && !(event.relatedTarget && event.relatedTarget.classList && event.relatedTarget.classList.contains("k"))) {
      hideKeyDoc();
    }
  });
  // Scrolling (the page, or the preview column) carries the key along: the tooltip follows it.
  window.addEventListener("scroll", function () {
    if (!currentKey) return;
    if (document.body.contains(currentKey)) place(currentKey);
    else hideKeyDoc();
  }, true);

  function prepare(root) {
    if (currentKey && !document.body.contains(currentKey)) hideKeyDoc();
    addButtons(root);
    prepareYaml(root);
  }
  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  // Whatever is swapped in later (the form redrawn, a region of it, the YAML on a keystroke) is
  // prepared as it arrives, only the new parts, whichever way htmx swapped them.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.isConnected) prepare(node);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
