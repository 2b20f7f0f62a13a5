/* Kinerja: searchable selects. A <select data-lookup-url="..."> becomes a Tom Select whose
 * options come from that scoped JSON lookup ({"results": [{value, text, hint}], "more": bool}).
 * The page holds only the current value; typing searches the server (name or code).
 *
 * data-lookup-depends="id_unit" (with data-lookup-depends-param="unit") sends that field's
 * value with each search and empties this select when it changes: the post select shows the
 * posts of the chosen unit. Without JavaScript the select stays as rendered, with the search
 * box and button that the server renders in <noscript>.
 */
(function () {
  "use strict";

  function escapeText(escape, text) {
    return text ? escape(text) : "";
  }

  function setUp(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var data = select.dataset;
    var depends = data.lookupDepends ? document.getElementById(data.lookupDepends) : null;
    var more = false;

    function dependencyValue() {
      return depends ? depends.value : "";
    }

    var control = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      // The server searches; while its answer comes, what is held is narrowed the same way.
      searchField: ["text", "keywords"],
      sortField: [{ field: "$order" }],
      maxOptions: null,
      // The empty choice is no option: the placeholder shows instead, the clear button resets.
      allowEmptyOption: false,
      placeholder: data.placeholder || null,
      preload: "focus",
      loadThrottle: 250,
      plugins: select.required ? [] : ["clear_button"],
      shouldLoad: function () {
        return !depends || dependencyValue() !== "";
      },
      load: function (query, callback) {
        var self = this;
        // An answer to a search the user has moved on from (they picked an option, which empties
        // the search) must not reopen the list: end the load without handing it the options.
        function stale() {
          if (self.lastValue === query) return false;
          self.loading = Math.max(self.loading - 1, 0);
          if (!self.loading) self.wrapper.classList.remove(self.settings.loadingClass);
          return true;
        }
        if (stale()) return;
        // No unit chosen yet: no search; the list says to choose the unit first.
        if (depends && !dependencyValue()) { callback([]); return; }
        var url = new URL(data.lookupUrl, window.location.href);
        url.searchParams.set("q", query);
        if (depends) url.searchParams.set(data.lookupDependsParam, dependencyValue());
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (json) {
            if (stale()) return;
            more = json.more;
            // Keep the chosen value; drop the answers of older searches.
            self.clearOptions();
            callback(json.results);
          })
          .catch(function () { if (!stale()) callback(); });
      },
      render: {
        option: function (item, escape) {
          var hint = item.hint ? '<div class="text-secondary small">' + escape(item.hint) + "</div>" : "";
          return "<div><div>" + escapeText(escape, item.text) + "</div>" + hint + "</div>";
        },
        item: function (item, escape) {
          return "<div>" + escapeText(escape, item.text) + "</div>";
        },
        no_results: function (_data, escape) {
          return '<div class="no-results">' + escapeText(escape, data.lookupEmpty) + "</div>";
        },
        not_loading: function (_data, escape) {
          return data.lookupDependsMissing
            ? '<div class="no-results">' + escape(data.lookupDependsMissing) + "</div>"
            : null;
        },
        loading: function (_data, escape) {
          return '<div class="no-results">' + escapeText(escape, data.lookupLoading) + "</div>";
        },
      },
    });

    // The hint that more matches exist, under the list of options.
    control.on("load", function () {
      var footer = control.dropdown.querySelector(".kinerja-lookup-more");
      if (!footer) {
        footer = document.createElement("div");
        footer.className = "kinerja-lookup-more text-secondary small px-2 py-1";
        control.dropdown.appendChild(footer);
      }
      footer.textContent = more ? data.lookupMore || "" : "";
      footer.hidden = !more;
    });

    if (depends) {
      depends.addEventListener("change", function () {
        control.clear();
        control.clearOptions();
        control.wrapper.classList.remove("preloaded");  // search again on the next focus
      });
    }
  }

  function setUpWithin(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("select[data-lookup-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpWithin(document); });
  } else {
    setUpWithin(document);
  }
  document.addEventListener("htmx:load", function (event) { setUpWithin(event.detail.elt); });
})();
