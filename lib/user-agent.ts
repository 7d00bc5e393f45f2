/** A short, human name for a browser from its User-Agent: "Firefox on Windows", "Safari on iPhone". */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return 'Unknown browser';
  const browser =
    /Edg(e|A|iOS)?\//.test(ua)
      ? 'Edge'
      : /OPR\/|Opera/.test(ua)
        ? 'Opera'
        : /SamsungBrowser\//.test(ua)
          ? 'Samsung Internet'
          : /Firefox\/|FxiOS\//.test(ua)
            ? 'Firefox'
            : /HeadlessChrome\//.test(ua)
              ? 'Headless Chrome'
              : /Chrome\/|CriOS\/|Chromium\//.test(ua)
                ? 'Chrome'
                : /Safari\//.test(ua) && /Version\//.test(ua)
                  ? 'Safari'
                  : /^curl\//.test(ua)
                    ? 'curl'
                    : /node|undici/i.test(ua)
                      ? 'Node.js'
                      : 'Unknown browser';
  const os = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Linux/.test(ua)
                ? 'Linux'
                : undefined;
  return os ? `${browser} on ${os}` : browser;
}
