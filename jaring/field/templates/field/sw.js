/* Jaring Lapangan service worker: keeps the shell so the app opens with no connection. */
"use strict";
const VERSION = "{{ version }}";
const CACHE = "jaring-lapangan-" + VERSION;
const SHELL = {{ shell|safe }};
const ASSETS = {{ assets|safe }};

async function fetchShell() {
  const res = await fetch(SHELL, {credentials: "same-origin", cache: "no-store"});
  // a redirect means "not signed in": never keep the sign-in page as the app
  if (!res.ok || res.redirected) throw new Error("shell " + res.status);
  return res;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    await cache.put(SHELL, await fetchShell());
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("jaring-lapangan-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function navigate(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await Promise.race([fetch(request), timeout(6000)]);
    if (res.ok && !res.redirected) {
      await cache.put(SHELL, res.clone());
    }
    return res;
  } catch (e) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw e;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // the queue's batches go straight to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(navigate(request));
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit || fetch(request)));
  }
});
