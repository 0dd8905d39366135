// Pages that wait for the queue (a round's emails on their way, a PDF being made) check
// again every few seconds. Without JavaScript they reload themselves (a meta refresh in
// <noscript>, with a way to stop it); with it, only the part that changes is replaced in
// place and a polite live region says what happened, so nobody is taken back to the top
// of the page or read the whole page again.
export function initKeepChecking() {
  for (const region of document.querySelectorAll("[data-keep-checking]")) {
    const seconds = Number(region.dataset.keepChecking) || 10;
    const status = region.querySelector("[data-keep-checking-status]");
    const check = async () => {
      let response;
      try {
        response = await fetch(region.dataset.keepCheckingUrl || window.location.href, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
      } catch {
        window.setTimeout(check, seconds * 1000);
        return;
      }
      if (region.dataset.keepCheckingUrl) {
        // A download's readiness: {"ready": true} once it can be fetched.
        const { ready } = await response.json();
        if (ready) {
          if (status) status.textContent = "Your report is ready: the download has started.";
          window.location.assign(region.dataset.keepCheckingDownload);
          return;
        }
      } else {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.getElementById(region.id);
        if (fresh) {
          region.innerHTML = fresh.innerHTML;
          if (!fresh.hasAttribute("data-keep-checking")) {
            const done = region.querySelector("[data-keep-checking-status]");
            if (done) done.textContent = "Every email has been sent or has failed.";
            return;
          }
        }
      }
      window.setTimeout(check, seconds * 1000);
    };
    window.setTimeout(check, seconds * 1000);
  }
}
