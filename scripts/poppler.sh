# Sourced by scripts/test.sh: make sure poppler-utils (pdfinfo, pdftoppm) is installed, so the report
# tests render the demo PDF's pages instead of skipping. Installs with apt-get when root on Debian;
# elsewhere the tests that need it skip with the reason.
ensure_poppler() {
  if command -v pdftoppm >/dev/null && command -v pdfinfo >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  fi
  command -v pdftoppm >/dev/null
}
