# Sourced by the guest image builders: prints the machine's own Debian mirrors (one-line and
# deb822 apt sources) as "deb URI SUITE main" lines for bookworm and its updates/security suites;
# third-party repositories are ignored. The caller falls back to deb.debian.org when none is found.
machine_mirrors() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                       uri = $i; suite = $(i + 1)
                       if (suite ~ /^bookworm(-updates|-security)?$/) print "deb " uri " " suite " main" }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk 'function flush() { if (types ~ /(^| )deb( |$)/) { n = split(uris, u, " "); m = split(suites, s, " ")
                              for (a = 1; a <= n; a++) for (b = 1; b <= m; b++)
                                if (s[b] ~ /^bookworm(-updates|-security)?$/) print "deb " u[a] " " s[b] " main" }
                            types = uris = suites = "" }
         /^[[:space:]]*$/ { flush(); next }
         /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
         /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
         /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
         END { flush() }' "$f"
  done
}
