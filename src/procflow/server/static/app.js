// procflow reference page: plain JavaScript, no build step, no library, no network but this server.
// Three views over the HTTP API: a due-date calculator (POST v1/due-date and GET v1/calendar),
// a dossier timeline (POST v1/evaluate) with its receipt and control slips (POST v1/forms),
// and a period report with its chart (POST v1/report). The words of procflow's closed sets
// (outcomes, events, channels, units...) are the library's own, from GET v1/labels: the page
// keeps only its own interface text.
"use strict";

(function () {
  const TEXT = {
    vi: {
      subtitle: "Thủ tục hành chính: hạn giải quyết, hồ sơ, báo cáo",
      tab_due: "Tính hạn giải quyết", tab_timeline: "Dòng thời gian hồ sơ", tab_report: "Báo cáo kỳ",
      procedure: "Thủ tục", custom_limit: "(nhập thời hạn)", time_limit: "Thời hạn giải quyết",
      received_at: "Thời điểm tiếp nhận", channel: "Hình thức nộp",
      cutoff: "Giờ chốt nhận (tuỳ chọn)", compute: "Tính hạn", due_at: "Hẹn trả kết quả",
      explanation: "Giải thích", calendar: "Lịch",
      lg_received: "Ngày tiếp nhận", lg_counted: "Ngày được tính", lg_due: "Ngày hẹn trả",
      lg_off: "Ngày lễ, nghỉ bù", lg_weekend: "Cuối tuần", lg_worked: "Làm bù",
      dossier_json: "Hồ sơ (JSON)", or_upload: "hoặc tải tệp JSON",
      as_of: "Tính đến thời điểm (tuỳ chọn)", sample: "Hồ sơ mẫu", evaluate: "Đánh giá",
      events: "Sự kiện", steps: "Các bước xử lý",
      step_cols: ["Bước", "Đơn vị", "Định mức (giờ)", "Hạn bước", "Hoàn thành", "Đã dùng (giờ)", "Vượt (giờ)"], export_file: "Tệp dữ liệu hồ sơ (CSV hoặc Parquet)",
      from: "Từ ngày", to: "Đến ngày", by: "Nhóm theo", by_none: "(tổng hợp)",
      make_report: "Lập báo cáo", download_xlsx: "Tải về XLSX (mẫu II.06a)",
      rejected_rows: "Dòng không đọc được",
      footer: "Tính theo Bộ luật Dân sự 2015 (Điều 144–148), Nghị định 118/2025/NĐ-CP và lịch nghỉ lễ của Chính phủ.",
      api_docs: "Tài liệu API",
      month: "Tháng", weekdays: ["T2", "T3", "T4", "T5", "T6", "T7", "CN"],
      dayname: ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"],
      dossier: "Hồ sơ", f_procedure: "Thủ tục", f_received: "Tiếp nhận", f_due: "Hạn giải quyết",
      f_effective_due: "Hạn sau khi dừng tính", f_finished: "Hoàn thành", f_used: "Đã dùng",
      f_remaining: "Còn lại", f_supplements: "Số lần yêu cầu bổ sung", f_d766: "Đúng hạn theo QĐ 766",
      f_as_of: "Tính đến",
      yes: "có", no: "không", due_marker: "Hạn giải quyết", now_marker: "Thời điểm tính",
      summary: (r, n) => `Kỳ ${r.period_start} – ${r.period_end}: tiếp nhận ${r.total.received_total}, đã giải quyết ${r.total.resolved_total}, đang giải quyết ${r.total.in_progress_total}; ${n} dòng không đọc được`,
      total: "Tổng cộng", no_file: "Chọn tệp dữ liệu trước.", not_json: "Nội dung không phải JSON: ",
      select_dossier: "Chọn hồ sơ", network: "Không gọi được máy chủ: ",
      row: "dòng",
      paperwork: "Giấy tờ", form_receipt: "Phiếu tiếp nhận", form_control: "Phiếu kiểm soát",
      print_form: "In phiếu", download_docx: "Tải về DOCX", slip: "Phiếu",
    },
    en: {
      subtitle: "Administrative procedures: due dates, dossiers, reports",
      tab_due: "Due date", tab_timeline: "Dossier timeline", tab_report: "Period report",
      procedure: "Procedure", custom_limit: "(type a time limit)", time_limit: "Time limit",
      received_at: "Received at", channel: "Channel",
      cutoff: "Cut-off time (optional)", compute: "Compute", due_at: "Due",
      explanation: "Explanation", calendar: "Calendar",
      lg_received: "Day received", lg_counted: "Day counted", lg_due: "Due day",
      lg_off: "Holiday, day off", lg_weekend: "Weekend", lg_worked: "Worked weekend day",
      dossier_json: "Dossier (JSON)", or_upload: "or upload a JSON file",
      as_of: "As of (optional)", sample: "Sample dossier", evaluate: "Evaluate",
      events: "Events", steps: "Steps",
      step_cols: ["Step", "Unit", "Budget (h)", "Step due", "Finished", "Used (h)", "Over (h)"], export_file: "Dossier export (CSV or Parquet)",
      from: "From", to: "To", by: "Group by", by_none: "(total only)",
      make_report: "Build report", download_xlsx: "Download XLSX (form II.06a)",
      rejected_rows: "Rows that could not be read",
      footer: "Counted under the Civil Code 2015 (Art. 144–148), Decree 118/2025/NĐ-CP and the Government's holiday decisions.",
      api_docs: "API documentation",
      month: "Month", weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
      dayname: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
      dossier: "Dossier", f_procedure: "Procedure", f_received: "Received", f_due: "Due",
      f_effective_due: "Due after clock stops", f_finished: "Finished", f_used: "Used",
      f_remaining: "Remaining", f_supplements: "Supplement requests", f_d766: "On time (Decision 766)",
      f_as_of: "As of",
      yes: "yes", no: "no", due_marker: "Due", now_marker: "As of",
      summary: (r, n) => `Period ${r.period_start} – ${r.period_end}: received ${r.total.received_total}, resolved ${r.total.resolved_total}, in progress ${r.total.in_progress_total}; ${n} rows not read`,
      total: "Total", no_file: "Choose an export file first.", not_json: "Not JSON: ",
      select_dossier: "Choose a dossier", network: "Cannot reach the server: ",
      row: "row",
      paperwork: "Paperwork", form_receipt: "Receipt slip", form_control: "Control slip",
      print_form: "Print", download_docx: "Download DOCX", slip: "Slip",
    },
  };

  // Report columns shown in the table: key, then its heading: a library label
  // ("Set.value") for the columns that count one outcome or channel, else the page's words.
  const COLUMNS = [
    ["received_total", ["Tổng số tiếp nhận", "Received"]],
    ["carried_over", ["Kỳ trước chuyển qua", "Carried over"]],
    ["received_online", "Channel.online"],
    ["resolved_total", ["Đã giải quyết", "Resolved"]],
    ["resolved_early", "Outcome.early"],
    ["resolved_on_time", "Outcome.on_time"],
    ["resolved_late", "Outcome.late"],
    ["in_progress_total", ["Đang giải quyết", "In progress"]],
    ["in_progress_overdue", "Outcome.overdue"],
    ["withdrawn", "Outcome.withdrawn"],
    ["returned", "Outcome.returned"],
    ["timely_rate", ["Tỷ lệ trước và đúng hạn (%)", "Early or on time (%)"]],
    ["d766_on_time_rate", ["Chỉ số đúng hạn QĐ 766 (%)", "Decision 766 on time (%)"]],
  ];
  // Chart segments: report key, colour variable, the outcome whose label names it.
  const SEGMENTS = [
    ["resolved_early", "--early", "early"],
    ["resolved_on_time", "--on-time", "on_time"],
    ["resolved_late", "--late", "late"],
    ["in_progress_in_time", "--open", "in_time"],
    ["in_progress_overdue", "--late", "overdue"],
    ["withdrawn", "--withdrawn", "withdrawn"],
    ["returned", "--returned", "returned"],
  ];
  const SAMPLE = {
    id: "HS-2024-0001",
    time_limit: "03 ngày làm việc",
    channel: "online",
    events: [
      { type: "received", at: "2024-08-29T10:00:00" },
      { type: "supplement_requested", at: "2024-08-29T15:00:00" },
      { type: "supplement_received", at: "2024-08-30T09:00:00" },
      { type: "finished", at: "2024-09-05T16:30:00", result: "granted" },
      { type: "handed_over", at: "2024-09-06T08:15:00" },
    ],
  };

  let lang = "vi";
  try { lang = window.localStorage.getItem("procflow.lang") === "en" ? "en" : "vi"; } catch (e) { /* private mode */ }
  const state = { procedures: [], due: null, evaluations: null, dossiers: null, contexts: null, chosen: 0, report: null, slip: null };
  // The library's labels, by language and set: LABELS.vi.Outcome.early, from GET v1/labels.
  const LABELS = { vi: {}, en: {} };
  const calendars = new Map();

  const $ = (id) => document.getElementById(id);
  const t = (key) => TEXT[lang][key];
  const pick = (pair) => (pair ? pair[lang === "vi" ? 0 : 1] : "");
  // A library label, e.g. label("Outcome", "on_time"); the value itself if unknown.
  const label = (set, value) => ((LABELS[lang][set] || {})[value]) || value;
  // Labels are lower case, as in running text; a heading or a badge starts with a capital.
  const cap = (text) => (text ? text.charAt(0).toLocaleUpperCase(lang) + text.slice(1) : text);
  const heading = (spec) => (Array.isArray(spec) ? pick(spec) : cap(label(...spec.split("."))));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Times: every instant shown is Vietnam wall time. A time with an offset is converted;
  // a naive one is already local. `wall` gives milliseconds whose UTC fields are that wall time.
  const VN_OFFSET = 7 * 3600 * 1000;
  function wall(text) {
    if (/([+-]\d\d:?\d\d|Z)$/.test(text)) return Date.parse(text) + VN_OFFSET;
    const m = text.match(/^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?/);
    if (!m) return NaN;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0));
  }
  const pad = (n) => String(n).padStart(2, "0");
  function isoDay(ms) {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  function fmtDay(ms) {
    const d = new Date(ms);
    const name = t("dayname")[d.getUTCDay()];
    return lang === "vi"
      ? `${name} ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
      : `${name} ${isoDay(ms)}`;
  }
  function fmtTime(text) {
    if (!text) return "–";
    const ms = wall(text);
    if (Number.isNaN(ms)) return text;
    const d = new Date(ms);
    const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    return lang === "vi" ? `${clock} ${fmtDay(ms)}` : `${clock} on ${fmtDay(ms)}`;
  }
  // Rates are percentages with two decimals (domain brief §5).
  const rate = (x) => (x === null || x === undefined ? "–" : Number(x).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const num = (x, digits) => (x === null || x === undefined ? "–" : Number(x).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: digits ?? 2 }));

  // ---- HTTP ------------------------------------------------------------------------------
  class Problem extends Error {
    constructor(body, status) {
      super(body && body.detail ? body.detail : String(status));
      this.title = body && body.title ? body.title : String(status);
    }
  }
  async function call(url, options) {
    let response;
    try { response = await fetch(url, options); } catch (e) { throw new Problem({ title: "", detail: t("network") + e.message }, 0); }
    if (!response.ok) {
      const type = response.headers.get("content-type") || "";
      const body = type.includes("json") ? await response.json() : { detail: await response.text() };
      throw new Problem(body, response.status);
    }
    return response;
  }
  const postJSON = (url, body) => call(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  function showProblem(id, error) {
    const box = $(id);
    box.textContent = error instanceof Problem && error.title ? `${error.title}: ${error.message}` : error.message;
    box.hidden = false;
  }
  const clearProblem = (id) => { $(id).hidden = true; $(id).textContent = ""; };

  async function calendarOf(year) {
    if (!calendars.has(year)) {
      calendars.set(year, call(`v1/calendar/${year}`).then((r) => r.json()).then((data) => ({
        off: new Map(data.days_off.map((d) => [d.date, d])),
        worked: new Map(data.extra_working_days.map((d) => [d.date, d])),
      })));
    }
    return calendars.get(year);
  }

  // ---- language and tabs -------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const text = TEXT[lang][node.dataset.i18n];
      if (typeof text === "string") node.textContent = text;
    }
    fillGroupings();
    // Options that name a value of a closed set, e.g. data-label="Channel.online".
    for (const node of document.querySelectorAll("[data-label]")) node.textContent = heading(node.dataset.label);
    for (const b of document.querySelectorAll(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    fillProcedures();
    if (state.due) renderDue();
    if (state.evaluations) renderEvaluation();
    if (state.report) renderReport();
  }
  // The report's groupings are the library's (GroupBy), in its order, with its words.
  function fillGroupings() {
    const select = $("rp-by");
    const chosen = select.options.length > 1 ? select.value : select.dataset.default;
    while (select.options.length > 1) select.remove(1);
    for (const value of Object.keys(LABELS[lang].GroupBy || {})) {
      select.append(el("option", { value, "data-label": `GroupBy.${value}` }, heading(`GroupBy.${value}`)));
    }
    select.value = chosen;
  }
  async function loadLabels(which) {
    if (!Object.keys(LABELS[which]).length) {
      LABELS[which] = (await (await call(`v1/labels?lang=${which}`)).json()).sets;
    }
  }
  async function setLanguage(next) {
    try { await loadLabels(next); } catch (e) { showProblem("due-error", e); return; }
    lang = next;
    try { window.localStorage.setItem("procflow.lang", lang); } catch (e) { /* private mode */ }
    applyLanguage();
  }
  function showTab(id) {
    for (const tab of document.querySelectorAll("[role=tab]")) {
      const on = tab.id === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(tab.getAttribute("aria-controls")).hidden = !on;
    }
    // The print stylesheet prints a shown slip alone, while its view is the one shown.
    if (state.slip && id === "tab-timeline") document.body.dataset.slip = state.slip;
    else delete document.body.dataset.slip;
  }
  // Left and right arrows, Home and End move between the tabs (WAI-ARIA tabs pattern).
  function tabKeys(event) {
    const tabs = [...document.querySelectorAll("[role=tab]")];
    const at = tabs.indexOf(event.currentTarget);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    showTab(next.id);
    next.focus();
  }

  // ---- due-date calculator ------------------------------------------------------------------
  function fillProcedures() {
    const select = $("due-procedure");
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const p of state.procedures) {
      const name = lang === "en" && p.name_en ? p.name_en : p.name_vi;
      select.append(el("option", { value: p.id }, p.time_limit ? `${name}: ${p.time_limit}` : name));
    }
    select.value = chosen;
    $("due-limit-label").hidden = select.value !== "";
  }

  async function computeDue(event) {
    event.preventDefault();
    clearProblem("due-error");
    const body = { received_at: $("due-received").value, channel: $("due-channel").value };
    if ($("due-procedure").value) body.procedure_id = $("due-procedure").value;
    else body.time_limit = $("due-limit").value;
    if ($("due-cutoff").value) body.cutoff = $("due-cutoff").value;
    try {
      const answer = await (await postJSON("v1/due-date", body)).json();
      const first = wall(answer.detail.receipt.received_at);
      const last = wall(answer.due_at);
      const years = [];
      for (let y = new Date(first).getUTCFullYear(); y <= new Date(last).getUTCFullYear(); y++) years.push(y);
      const cals = await Promise.all(years.map(calendarOf));
      state.due = { answer, calendars: new Map(years.map((y, i) => [y, cals[i]])) };
      renderDue();
    } catch (e) {
      $("due-result").hidden = true;
      showProblem("due-error", e);
    }
  }

  function monthsBetween(firstMs, lastMs) {
    const a = new Date(firstMs), b = new Date(lastMs);
    const months = [];
    let y = a.getUTCFullYear(), m = a.getUTCMonth();
    while (y < b.getUTCFullYear() || (y === b.getUTCFullYear() && m <= b.getUTCMonth())) {
      months.push([y, m]);
      m += 1; if (m === 12) { m = 0; y += 1; }
    }
    // A long limit would show many months: keep the first two and the last.
    return months.length > 3 ? [months[0], months[1], months[months.length - 1]] : months;
  }

  function monthTable(year, month, cal, marks) {
    const table = el("table", { class: "month" });
    const title = lang === "vi" ? `${t("month")} ${month + 1}/${year}`
      : new Date(Date.UTC(year, month, 1)).toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
    table.append(el("caption", {}, title));
    table.append(el("tr", {}, ...t("weekdays").map((w) => el("th", {}, w))));
    const start = Date.UTC(year, month, 1);
    const lead = (new Date(start).getUTCDay() + 6) % 7; // Monday first
    let row = el("tr");
    for (let i = 0; i < lead; i++) row.append(el("td", { class: "empty" }));
    for (let day = 1; ; day++) {
      const ms = Date.UTC(year, month, day);
      if (new Date(ms).getUTCMonth() !== month) break;
      const iso = isoDay(ms);
      const off = cal.off.get(iso);
      const worked = cal.worked.get(iso);
      const classes = [];
      let tip = "";
      if (off) {
        classes.push(off.kind === "weekend" ? "weekend" : "off");
        tip = lang === "vi" ? off.name_vi : off.name_en || off.name_vi;
        if (off.source) tip += ` (${off.source})`;
      } else if (worked) {
        classes.push("worked");
        tip = (lang === "vi" ? worked.name_vi : worked.name_en || worked.name_vi) + (worked.source ? ` (${worked.source})` : "");
      }
      const counted = marks.counted.indexOf(iso);
      if (counted >= 0) classes.push("counted");
      if (iso === marks.received) classes.push("received");
      if (iso === marks.due) classes.push("due");
      const cell = el("td", { class: classes.join(" ") || null, title: tip || null, "data-date": iso }, String(day));
      if (counted >= 0) cell.append(el("small", {}, String(counted + 1)));
      row.append(cell);
      if ((lead + day) % 7 === 0) { table.append(row); row = el("tr"); }
    }
    if (row.children.length) table.append(row);
    return table;
  }

  function renderDue() {
    const { answer, calendars: cals } = state.due;
    $("due-at").textContent = fmtTime(answer.due_at);
    const lines = $("due-lines");
    lines.replaceChildren(...answer.lines.map((n) => el("li", { "data-code": n.code }, n[lang])));
    const receivedMs = wall(answer.detail.receipt.received_at);
    const dueMs = wall(answer.due_at);
    const marks = { received: isoDay(receivedMs), due: isoDay(dueMs), counted: answer.detail.counted_days };
    $("due-months").replaceChildren(...monthsBetween(receivedMs, dueMs).map(([y, m]) => monthTable(y, m, cals.get(y), marks)));
    $("due-result").hidden = false;
  }

  // ---- dossier timeline ---------------------------------------------------------------------
  // The input: a dossier, a list, or {as_of, dossiers}; each item a dossier or, as
  // `procflow form` reads them, {"dossier": ..., "form": ...} with what its slips print.
  function dossiersOf(parsed) {
    const items = Array.isArray(parsed) ? parsed : parsed && Array.isArray(parsed.dossiers) ? parsed.dossiers : [parsed];
    const pair = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && "dossier" in x;
    return {
      dossiers: items.map((x) => (pair(x) ? x.dossier : x)),
      contexts: items.map((x) => (pair(x) && x.form ? x.form : {})),
    };
  }

  async function evaluateDossier(event) {
    event.preventDefault();
    clearProblem("tl-error");
    let parsed;
    try { parsed = JSON.parse($("tl-json").value); } catch (e) {
      showProblem("tl-error", new Error(t("not_json") + e.message));
      return;
    }
    let asOf = $("tl-asof").value;
    if (!asOf && parsed && !Array.isArray(parsed) && parsed.as_of) asOf = parsed.as_of;
    const { dossiers, contexts } = dossiersOf(parsed);
    const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
    try {
      const evaluations = await (await postJSON(`v1/evaluate${query}`, dossiers)).json();
      state.dossiers = dossiers;
      state.contexts = contexts;
      state.evaluations = evaluations;
      state.chosen = 0;
      hideSlip();
      renderEvaluation();
    } catch (e) {
      $("tl-result").hidden = true;
      showProblem("tl-error", e);
    }
  }

  function renderEvaluation() {
    const e = state.evaluations[state.chosen];
    const dossier = state.dossiers[state.chosen];
    const id = $("tl-id");
    id.replaceChildren();
    if (state.evaluations.length > 1) {
      const select = el("select", { id: "tl-choose", "aria-label": t("select_dossier") });
      state.evaluations.forEach((x, i) => select.append(el("option", { value: String(i) }, x.dossier_id)));
      select.value = String(state.chosen);
      select.addEventListener("change", () => { state.chosen = Number(select.value); hideSlip(); renderEvaluation(); });
      id.append(select);
    } else {
      id.append(`${t("dossier")} ${e.dossier_id}`);
    }
    const badge = $("tl-outcome");
    badge.textContent = cap(label("Outcome", e.outcome));
    badge.className = `outcome ${e.outcome}`;
    badge.dataset.outcome = e.outcome;
    const facts = [
      [t("f_procedure"), e.procedure_id || (dossier.time_limit ? String(dossier.time_limit) : "–")],
      [t("f_received"), fmtTime(e.received_at)],
      [t("f_due"), fmtTime(e.due_at)],
      [t("f_effective_due"), fmtTime(e.effective_due_at)],
      [t("f_finished"), fmtTime(e.finished_at)],
      [t("f_used"), `${num(e.used_days)} ${label("TimeUnit", "working_days")}`],
      [t("f_remaining"), e.remaining_hours === null ? "–" : `${num(e.remaining_hours)} ${label("TimeUnit", "working_hours")}`],
      [t("f_supplements"), String(e.supplement_requests)],
      [t("f_d766"), e.d766_on_time === null ? "–" : t(e.d766_on_time ? "yes" : "no")],
      [t("f_as_of"), fmtTime(e.as_of)],
    ];
    $("tl-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    const due = e.effective_due_at || e.due_at;
    const items = (dossier.events || []).map((ev) => ({ at: ev.at, ev }));
    items.push({ at: due, due: true });
    items.sort((a, b) => wall(a.at) - wall(b.at));
    $("tl-events").replaceChildren(...items.map((item) => {
      if (item.due) return el("li", { class: "due" }, el("time", {}, fmtTime(item.at)), t("due_marker"));
      const ev = item.ev;
      const extra = [ev.step, ev.reason, ev.result && label("Result", ev.result), ev.new_due_at && fmtTime(ev.new_due_at), ev.note].filter(Boolean).join(" · ");
      return el("li", { "data-type": ev.type }, el("time", {}, fmtTime(ev.at)), cap(label("EventType", ev.type)), extra ? ` (${extra})` : "");
    }));
    $("tl-notes").replaceChildren(...e.notes.map((n) => el("li", { "data-code": n.code }, n[lang])));
    renderSteps(e.steps);
    drawTimeline(e, dossier);
    $("tl-result").hidden = false;
  }

  function renderSteps(steps) {
    $("tl-steps-box").hidden = steps.length === 0;
    const head = el("tr", {}, ...t("step_cols").map((c) => el("th", {}, c)));
    $("tl-steps").replaceChildren(head, ...steps.map((s) => el("tr", { "data-step": s.step_id, class: s.overrun_hours > 0 ? "over" : null },
      el("td", {}, s.name), el("td", {}, s.unit), el("td", { class: "n" }, num(s.budget_hours)),
      el("td", {}, fmtTime(s.planned_due_at)), el("td", {}, fmtTime(s.finished_at)),
      el("td", { class: "n" }, num(s.used_hours)), el("td", { class: "n" }, s.overrun_hours > 0 ? num(s.overrun_hours) : "–"))));
  }

  function drawTimeline(e, dossier) {
    const times = (dossier.events || []).map((ev) => wall(ev.at)).filter((x) => !Number.isNaN(x));
    const due = wall(e.effective_due_at || e.due_at);
    const end = wall(e.finished_at || e.withdrawn_at || e.as_of);
    const lo = Math.min(...times, due);
    const hi = Math.max(...times, due, Math.min(end, Math.max(...times, due) + 3 * 86400000));
    const width = 900, left = 20, right = 20, top = 34, height = 90;
    const x = (ms) => left + ((ms - lo) / Math.max(hi - lo, 1)) * (width - left - right);
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t("events") });
    // day ticks
    for (let d = Date.UTC(new Date(lo).getUTCFullYear(), new Date(lo).getUTCMonth(), new Date(lo).getUTCDate()); d <= hi; d += 86400000) {
      if (d < lo) continue;
      root.append(svg("line", { x1: x(d), x2: x(d), y1: top - 6, y2: top + 22, stroke: "#d9d5de" }));
      const dd = new Date(d);
      if ((hi - lo) / 86400000 < 40 || dd.getUTCDate() === 1) root.append(svg("text", { x: x(d) + 2, y: top + 36, "font-size": "10" }, `${dd.getUTCDate()}/${dd.getUTCMonth() + 1}`));
    }
    const style = getComputedStyle(document.documentElement);
    const colour = { early: "--early", on_time: "--on-time", late: "--late", overdue: "--late", in_time: "--open" }[e.outcome] || "--withdrawn";
    root.append(svg("rect", { x: x(wall(e.received_at)), y: top, width: Math.max(x(Math.min(end, hi)) - x(wall(e.received_at)), 2), height: 14, fill: style.getPropertyValue(colour).trim(), rx: 3 }));
    for (const stop of e.stops) {
      const a = wall(stop.start), b = stop.end ? wall(stop.end) : Math.min(end, hi);
      const shade = svg("rect", { x: x(a), y: top, width: Math.max(x(b) - x(a), 2), height: 14, class: "stop" });
      shade.append(svg("title", {}, `${fmtTime(stop.start)} – ${stop.end ? fmtTime(stop.end) : "…"}`));
      root.append(shade);
    }
    for (const ev of dossier.events || []) {
      const c = svg("circle", { cx: x(wall(ev.at)), cy: top + 7, r: 5, fill: "#1d1b20", class: "event" });
      c.append(svg("title", {}, `${cap(label("EventType", ev.type))}: ${fmtTime(ev.at)}`));
      root.append(c);
    }
    root.append(svg("line", { x1: x(due), x2: x(due), y1: 8, y2: top + 24, stroke: style.getPropertyValue("--accent").trim(), "stroke-width": 2, "stroke-dasharray": "4 3" }));
    const nearEnd = x(due) > width * 0.6;
    root.append(svg("text", { x: x(due) + (nearEnd ? -6 : 6), y: 18, "text-anchor": nearEnd ? "end" : "start" }, `${t("due_marker")} ${fmtTime(e.effective_due_at || e.due_at)}`));
    $("tl-chart").replaceChildren(root);
  }

  // ---- the dossier's slips (POST v1/forms/{kind}): shown in the page, printed, downloaded ----
  const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  const formBody = () => JSON.stringify({ dossier: state.dossiers[state.chosen], form: state.contexts[state.chosen] });
  const postForm = (kind, accept) => call(`v1/forms/${kind}`, { method: "POST", headers: { "content-type": "application/json", accept }, body: formBody() });

  function hideSlip() {
    state.slip = null;
    $("tl-slip-box").hidden = true;
    delete document.body.dataset.slip;
    clearProblem("tl-slip-error");
  }

  async function showSlip(kind) {
    clearProblem("tl-slip-error");
    try {
      const html = await (await postForm(kind, "text/html")).text();
      const frame = $("tl-slip");
      // The slip is its own document (its own styles); the frame grows to its height.
      frame.onload = () => {
        frame.style.height = "0px"; // measured at no height, the document's own height shows
        frame.style.height = `${frame.contentDocument.documentElement.scrollHeight + 16}px`;
      };
      frame.dataset.kind = kind;
      frame.title = `${t("slip")}: ${t(`form_${kind}`)}`;
      frame.srcdoc = html;
      state.slip = kind;
      $("tl-slip-box").hidden = false;
      document.body.dataset.slip = kind;
      $("tl-paperwork").scrollIntoView({ block: "start" });
    } catch (e) {
      hideSlip();
      showProblem("tl-slip-error", e);
    }
  }

  async function downloadSlip() {
    clearProblem("tl-slip-error");
    try {
      const response = await postForm(state.slip, DOCX);
      const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: named ? named[1] : `${state.slip}.docx` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      showProblem("tl-slip-error", e);
    }
  }

  async function loadDossierFile() {
    const file = $("tl-file").files[0];
    if (file) $("tl-json").value = await file.text();
  }

  // ---- period report --------------------------------------------------------------------------
  function reportForm() {
    const file = $("rp-file").files[0];
    if (!file) throw new Error(t("no_file"));
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("from", $("rp-from").value);
    form.append("to", $("rp-to").value);
    if ($("rp-by").value) form.append("by", $("rp-by").value);
    return form;
  }

  async function buildReport(event) {
    event.preventDefault();
    clearProblem("rp-error");
    try {
      const response = await call("v1/report", { method: "POST", body: reportForm(), headers: { accept: "application/json" } });
      state.report = await response.json();
      renderReport();
    } catch (e) {
      $("rp-result").hidden = true;
      showProblem("rp-error", e);
    }
  }

  async function downloadXlsx() {
    clearProblem("rp-error");
    try {
      const accept = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      const response = await call("v1/report", { method: "POST", body: reportForm(), headers: { accept } });
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: `bao-cao-${$("rp-from").value}-${$("rp-to").value}.xlsx` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      showProblem("rp-error", e);
    }
  }

  // A group's name as shown: channels in the library's words, other keys as the data gives them.
  function groupName(r, key) {
    if (key === "total") return t("total");
    return r.by === "channel" ? cap(label("Channel", key)) : key;
  }

  function renderReport() {
    const r = state.report;
    $("rp-summary").textContent = t("summary")(r, r.rejected.length);
    const rows = [...r.rows, r.total];
    const table = $("rp-table");
    table.replaceChildren(el("tr", {}, el("th", {}, r.by ? cap(label("GroupBy", r.by)) : ""), ...COLUMNS.map(([, spec]) => el("th", {}, heading(spec)))));
    for (const row of rows) {
      const total = row === r.total;
      table.append(el("tr", { class: total ? "total" : null }, el("td", {}, total ? t("total") : groupName(r, row.key)),
        ...COLUMNS.map(([key]) => el("td", { class: "n", "data-key": key }, key.endsWith("_rate") ? rate(row[key]) : num(row[key])))));
    }
    $("rp-result").hidden = false; // shown before drawing: the legend measures its texts
    drawReportChart(r, r.rows.length ? r.rows : [r.total]);
    const box = $("rp-rejected-box");
    box.hidden = r.rejected.length === 0;
    $("rp-rejected").replaceChildren(...r.rejected.slice(0, 200).map((x) => el("li", {}, `${t("row")} ${x.row}: ${x.dossier_id || "–"}: ${x.reason}`)));
    $("rp-result").hidden = false;
  }

  function drawReportChart(r, rows) {
    const style = getComputedStyle(document.documentElement);
    const gutter = 230, bar = 22, gap = 8, width = 900, scaleWidth = width - gutter - 60;
    const max = Math.max(1, ...rows.map((row) => SEGMENTS.reduce((s, [k]) => s + (row[k] ?? 0), 0)));
    const root = svg("svg", { width, role: "img", id: "rp-svg" });
    $("rp-chart").replaceChildren(root); // in the document, so legend texts can be measured
    let lx = gutter, ly = 6;
    for (const [key, colour, outcome] of SEGMENTS) {
      const text = svg("text", { x: lx + 16, y: ly + 10 }, cap(label("Outcome", outcome)));
      root.append(text);
      const span = 16 + text.getComputedTextLength() + 16;
      if (lx > gutter && lx + span > width) { // wrap the legend onto a new line
        lx = gutter; ly += 20;
        text.setAttribute("x", lx + 16); text.setAttribute("y", ly + 10);
      }
      const swatch = svg("rect", { x: lx, y: ly, width: 12, height: 12, fill: style.getPropertyValue(colour).trim() });
      if (key === "in_progress_overdue") swatch.setAttribute("fill-opacity", "0.55");
      root.append(swatch);
      lx += span;
    }
    const top = ly + 26;
    const height = top + rows.length * (bar + gap) + 10;
    root.setAttribute("height", height);
    root.setAttribute("viewBox", `0 0 ${width} ${height}`);
    rows.forEach((row, i) => {
      const y = top + i * (bar + gap);
      const name = groupName(r, row.key);
      root.append(svg("text", { x: gutter - 8, y: y + bar / 2 + 4, "text-anchor": "end" }, name.length > 30 ? name.slice(0, 29) + "…" : name));
      let x = gutter;
      for (const [key, colour, outcome] of SEGMENTS) {
        const w = ((row[key] ?? 0) / max) * scaleWidth;
        if (w <= 0) continue;
        const rect = svg("rect", { x, y, width: w, height: bar, fill: style.getPropertyValue(colour).trim(), class: "bar", "data-key": key, "data-count": row[key] });
        if (key === "in_progress_overdue") rect.setAttribute("fill-opacity", "0.55");
        rect.append(svg("title", {}, `${name}: ${cap(label("Outcome", outcome))} ${row[key]}`));
        root.append(rect);
        x += w;
      }
      root.append(svg("text", { x: x + 6, y: y + bar / 2 + 4 }, String(row.received_total)));
    });
  }

  // ---- start ----------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", async () => {
    for (const b of document.querySelectorAll(".lang button")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
    for (const tab of document.querySelectorAll("[role=tab]")) {
      tab.addEventListener("click", () => showTab(tab.id));
      tab.addEventListener("keydown", tabKeys);
    }
    showTab("tab-due");
    $("due-form").addEventListener("submit", computeDue);
    $("due-procedure").addEventListener("change", () => { $("due-limit-label").hidden = $("due-procedure").value !== ""; });
    $("tl-form").addEventListener("submit", evaluateDossier);
    $("tl-file").addEventListener("change", loadDossierFile);
    for (const b of document.querySelectorAll("#tl-paperwork [data-form]")) b.addEventListener("click", () => showSlip(b.dataset.form));
    $("tl-slip-print").addEventListener("click", () => $("tl-slip").contentWindow.print());
    $("tl-slip-docx").addEventListener("click", downloadSlip);
    $("tl-sample").addEventListener("click", () => { $("tl-json").value = JSON.stringify(SAMPLE, null, 2); });
    $("rp-form").addEventListener("submit", buildReport);
    $("rp-xlsx").addEventListener("click", downloadXlsx);
    $("tl-json").value = JSON.stringify(SAMPLE, null, 2);
    try { await loadLabels(lang); } catch (e) { showProblem("due-error", e); }
    applyLanguage();
    try {
      state.procedures = await (await call("v1/procedures")).json();
      fillProcedures();
    } catch (e) {
      showProblem("due-error", e);
    }
    document.body.dataset.ready = "true";
  });
})();
