// Tidtam chat simulator: sends signed webhook events through the server and
// renders what the bot sent (text, quick replies, Flex bubbles and carousels,
// images), polling for replies and pushes.
//
// Each persona keeps its whole chat: everything the bot ever sent it (the
// reminders the clock pushed at start-up included) is read from the fake LINE
// server from the beginning, and what was typed here is kept in the page, so
// switching persona and back shows the same conversation.
"use strict";

const state = { user: null, personas: [], histories: {}, cursors: {} };
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(path, options);
  return response.json();
}

function postJSON(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function loadPersonas() {
  const data = await api("/simulator/api/personas");
  state.personas = data.personas;
  const select = $("persona");
  const current = select.value;
  select.innerHTML = "";
  for (const p of data.personas) {
    const option = document.createElement("option");
    option.value = p.user;
    option.textContent = p.role ? `${p.name} (${roleName(p.role)})` : p.name;
    select.appendChild(option);
  }
  if (current && data.personas.some((p) => p.user === current)) select.value = current;
  const unlinked = $("unlinked");
  unlinked.innerHTML = "";
  for (const o of data.unlinked) {
    const option = document.createElement("option");
    option.value = o.id;
    option.textContent = o.name;
    unlinked.appendChild(option);
  }
  choose(select.value);
}

function roleName(role) {
  return { officer: "เจ้าหน้าที่", supervisor: "ผู้บังคับบัญชา", admin: "ผู้ดูแลระบบ" }[role] || role;
}

function history(user) {
  if (!state.histories[user]) state.histories[user] = [];
  return state.histories[user];
}

async function choose(user) {
  state.user = user;
  const persona = state.personas.find((p) => p.user === user);
  $("chat-title").textContent = persona ? persona.name : "Tidtam";
  $("persona-info").textContent = persona && persona.unit ? `หน่วยงาน: ${persona.unit}` : "";
  $("messages").innerHTML = "";
  $("quick").innerHTML = "";
  for (const entry of history(user)) renderEntry(entry);
  scroll();
  await poll();
}

function renderEntry(entry) {
  if (entry.who === "user") showUserBubble(entry.text);
  else renderMessage(entry.item);
}

function showUserBubble(text) {
  const div = document.createElement("div");
  div.className = "msg user";
  div.textContent = text;
  $("messages").appendChild(div);
}

function addUserBubble(text) {
  history(state.user).push({ who: "user", text });
  showUserBubble(text);
  scroll();
}

function scroll() {
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
}

async function sendText(text) {
  if (!text.trim()) return;
  addUserBubble(text);
  $("quick").innerHTML = "";
  await postJSON("/simulator/api/send", { user: state.user, text });
  poll();
}

async function sendPostback(data, display) {
  if (display) addUserBubble(display);
  $("quick").innerHTML = "";
  await postJSON("/simulator/api/send", { user: state.user, postback: data });
  poll();
}

function runAction(action) {
  if (!action) return;
  if (action.type === "postback") sendPostback(action.data, action.displayText || action.label);
  else if (action.type === "message") sendText(action.text);
  else if (action.type === "uri") window.open(action.uri, "_blank");
  else if (action.type === "camera" || action.type === "cameraRoll") $("file").click();
}

function renderMessage(item) {
  const m = item.message;
  let node;
  if (m.type === "text") {
    node = document.createElement("div");
    node.className = "msg bot" + (item.kind === "push" ? " push" : "");
    node.textContent = m.text;
  } else if (m.type === "image") {
    node = document.createElement("div");
    node.className = "msg bot" + (item.kind === "push" ? " push" : "");
    const img = document.createElement("img");
    img.src = localise(m.previewImageUrl || m.originalContentUrl);
    img.alt = "ภาพจากบอท";
    node.appendChild(img);
  } else if (m.type === "flex") {
    node = renderFlex(m.contents);
    node.title = m.altText;
  } else {
    node = document.createElement("div");
    node.className = "msg bot";
    node.textContent = `[${m.type}]`;
  }
  node.dataset.kind = item.kind;
  $("messages").appendChild(node);
  if (m.quickReply && m.quickReply.items) renderQuick(m.quickReply.items);
}

function localise(url) {
  // Links are built on PUBLIC_BASE_URL; in development that may not be this page's host.
  try {
    const parsed = new URL(url);
    return parsed.pathname.startsWith("/files/") ? parsed.pathname : url;
  } catch (e) {
    return url;
  }
}

function renderQuick(items) {
  const quick = $("quick");
  quick.innerHTML = "";
  for (const item of items) {
    const chip = document.createElement("button");
    chip.className = "chip";
    chip.type = "button";
    chip.textContent = item.action.label || (item.action.type === "camera" ? "ถ่ายรูป" : "เลือกรูป");
    chip.addEventListener("click", () => runAction(item.action));
    quick.appendChild(chip);
  }
}

function renderFlex(container) {
  if (container.type === "carousel") {
    const row = document.createElement("div");
    row.className = "carousel";
    for (const bubble of container.contents) row.appendChild(renderBubble(bubble));
    return row;
  }
  const single = renderBubble(container);
  single.classList.add("single");
  return single;
}

function renderBubble(bubble) {
  const div = document.createElement("div");
  div.className = "bubble";
  for (const part of ["header", "hero", "body", "footer"]) {
    if (!bubble[part]) continue;
    const node = renderComponent(bubble[part]);
    node.classList.add(`fx-${part}`);
    div.appendChild(node);
  }
  return div;
}

const SIZES = { xxs: "10px", xs: "11px", sm: "13px", md: "14px", lg: "16px", xl: "18px", xxl: "21px", "3xl": "24px" };
const GAPS = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };

function renderComponent(c) {
  let node;
  switch (c.type) {
    case "box": {
      node = document.createElement("div");
      node.className = `fx-box ${c.layout || "vertical"}`;
      if (c.spacing) node.style.gap = GAPS[c.spacing] || c.spacing;
      if (c.backgroundColor) node.style.backgroundColor = c.backgroundColor;
      if (c.width) node.style.width = c.width;
      if (c.height) node.style.height = c.height;
      if (c.cornerRadius) node.style.borderRadius = GAPS[c.cornerRadius] || c.cornerRadius;
      if (c.paddingAll) node.style.padding = GAPS[c.paddingAll] || c.paddingAll;
      for (const child of c.contents || []) node.appendChild(renderComponent(child));
      if (c.action) node.addEventListener("click", () => runAction(c.action));
      break;
    }
    case "text": {
      node = document.createElement("div");
      node.className = "fx-text" + (c.wrap ? "" : " nowrap");
      node.textContent = c.text || (c.contents || []).map((s) => s.text).join("");
      if (c.size) node.style.fontSize = SIZES[c.size] || c.size;
      if (c.weight === "bold") node.style.fontWeight = "bold";
      if (c.color) node.style.color = c.color;
      if (c.align) node.style.textAlign = c.align === "end" ? "right" : c.align;
      break;
    }
    case "button": {
      node = document.createElement("button");
      node.type = "button";
      node.className = `fx-button ${c.style || "link"}`;
      if (c.color && c.style === "primary") node.style.backgroundColor = c.color;
      node.textContent = c.action ? c.action.label : "";
      node.addEventListener("click", () => runAction(c.action));
      break;
    }
    case "image": {
      node = document.createElement("img");
      node.src = localise(c.url);
      node.style.width = "100%";
      break;
    }
    case "separator":
      node = document.createElement("div");
      node.className = "fx-separator";
      break;
    default:
      node = document.createElement("div");
  }
  if (c.margin && node.style) node.style.marginTop = GAPS[c.margin] || c.margin;
  if (c.flex !== undefined && node.style) node.style.flexGrow = String(c.flex);
  return node;
}

let polling = false;
async function poll() {
  if (polling || !state.user) return;
  polling = true;
  const user = state.user;
  try {
    const since = state.cursors[user] || 0;  // a persona seen for the first time: from the very beginning
    const data = await api(`/simulator/api/messages?user=${encodeURIComponent(user)}&since=${since}`);
    if (data.items) {
      for (const item of data.items) {
        history(user).push({ who: "bot", item });
        if (state.user === user) renderMessage(item);
      }
      if (data.items.length && state.user === user) scroll();
      state.cursors[user] = data.next;
    }
  } finally {
    polling = false;
  }
}

$("persona").addEventListener("change", (e) => choose(e.target.value));
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("text").value;
  $("text").value = "";
  sendText(text);
});
$("file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  addUserBubble(`[ไฟล์] ${file.name}`);
  const form = new FormData();
  form.append("user", state.user);
  form.append("file", file);
  await fetch("/simulator/api/upload", { method: "POST", body: form });
  e.target.value = "";
  poll();
});
$("remind").addEventListener("click", async () => {
  $("remind-result").textContent = "กำลังส่ง…";
  const data = await postJSON("/simulator/api/remind", {});
  $("remind-result").textContent = data.error
    ? data.error
    : `ส่งแจ้งเตือนแล้ว ${data.delivered} ข้อความ`;
  poll();
});
$("issue-code").addEventListener("click", async () => {
  const officer = $("unlinked").value;
  if (!officer) return;
  const data = await postJSON("/simulator/api/code", { officer: Number(officer) });
  $("code").textContent = data.code ? `${data.name}: ${data.code}` : data.error;
});

setInterval(poll, 1500);
loadPersonas();
