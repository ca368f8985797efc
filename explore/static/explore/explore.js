/* The explore pages, enhanced: actor autocomplete, the visual timeline, copy buttons.
   Everything here is an addition: every page works without it. */
(function () {
  "use strict";

  /* Actor autocomplete over names and aliases (the API's /actors/?q=), an ARIA combobox. */
  function autocomplete(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var endpoint = input.dataset.autocomplete;
    var options = [];
    var active = -1;
    var pending = null;
    var typedName = false;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }
    function choose(option) {
      input.value = option.dataset.slug;
      typedName = false;
      close();
      input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
    }
    function show(actors) {
      list.textContent = "";
      options = actors.map(function (actor, i) {
        var li = document.createElement("li");
        li.id = "actor-option-" + i;
        li.setAttribute("role", "option");
        li.dataset.slug = actor.slug;
        li.textContent = actor.name;
        var detail = document.createElement("small");
        var aliases = (actor.aliases || []).join(", ");
        detail.textContent = actor.slug + (aliases ? " · also " + aliases : "");
        li.appendChild(detail);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(li);
        });
        list.appendChild(li);
        return li;
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      highlight(-1);
    }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      typedName = true;
      if (pending) pending.abort();
      if (text.length < 2) { close(); return; }
      pending = new AbortController();
      var url = endpoint + "?page_size=8&q=" + encodeURIComponent(text);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) { show(body.results || []); })
        .catch(function () {});
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { highlight(Math.min(active + 1, options.length - 1)); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(Math.max(active - 1, 0)); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) { choose(options[active]); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.form.addEventListener("submit", function () {
      // A name typed but not chosen: submit the first match's slug when the list offered one.
      if (typedName && options.length && !list.hidden) input.value = options[0].dataset.slug;
    });
  }

  /* The visual timeline (vis-timeline): a point for a day, a span for a week, month or year. */
  function visualTimeline(container) {
    var data = document.getElementById("visual-items");
    if (!data || !window.vis) return;
    var items = JSON.parse(data.textContent);
    container.textContent = "";
    if (!items.length) {
      container.textContent = "No dated item on this page.";
      return;
    }
    var dataset = items.map(function (item) {
      var content = document.createElement("span");
      content.textContent = item.label;
      var drawn = { id: item.id, content: content, start: item.start, type: item.type, title: item.when + ": " + item.label, className: "kind-" + item.kind };
      if (item.end) drawn.end = item.end;
      return drawn;
    });
    var timeline = new window.vis.Timeline(container, dataset, {
      stack: true, zoomable: true, horizontalScroll: false, maxHeight: 320, margin: { item: 4 }, tooltip: { followMouse: false }
    });
    var pages = {};
    items.forEach(function (item) { pages[item.id] = item.page; });
    timeline.on("select", function (properties) {
      var id = properties.items[0];
      if (id && pages[id]) window.location.href = pages[id];
    });
    container.dataset.ready = "true";
  }

  /* Copy buttons of "Cite this view". */
  function copyButtons() {
    document.querySelectorAll("button.copy").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent;
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  /* On a phone-sized screen the filters start folded, so the items come first. */
  function foldFilters() {
    var panel = document.getElementById("filters-panel");
    if (panel && window.matchMedia("(max-width: 59.99rem)").matches) panel.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldFilters();
    var input = document.querySelector("input[data-autocomplete]");
    if (input) autocomplete(input);
    var container = document.getElementById("visual-timeline");
    if (container) visualTimeline(container);
    copyButtons();
  });
})();
