# Functions to make Debian's chromium available to the browser tests; source this file.
# ensure_chromium installs it with apt-get when missing (as root), else says why the browser tests
# will be skipped. The tests drive /usr/bin/chromium through Playwright; `playwright install`, which
# downloads its own browsers, is never used.

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x /usr/bin/chromium ] && return 0
  fi
  echo "chromium could not be installed: the browser tests (-m browser) will be skipped" >&2
  return 1
}
