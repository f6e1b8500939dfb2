// Preloaded into every README example: the examples talk to "https://panel.example/api/v2" as a
// user's code would; here that one URL goes to the simulator, loopback (a server an example
// starts itself) is allowed, and any other host is refused.
const target = process.env.SMM_API_URL;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url === "https://panel.example/api/v2") return realFetch(target, init);
  if (/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) return realFetch(input, init);
  return Promise.reject(new TypeError(`the README examples may only call the panel, not ${url}`));
};
