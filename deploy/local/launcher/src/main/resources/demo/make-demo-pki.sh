#!/usr/bin/env bash
# Regenerates the demo PKI (in this folder) used by `deploy/local/run.sh --demo` (certificates only; the private
# keys are thrown away). The outputs are committed; run this only to renew them.
#   today:   Contoso Root CA (SHA-256) -> Contoso Issuing CA 01 -> pool01.contoso.com
#            (SAN pool01 + sip.contoso.com) and mail.contoso.com (Exchange)
#   planned, candidate A: a reissue from Contoso Issuing CA 01 whose SANs are pool01 and
#            *.contoso.com only, so the SRV target sip.contoso.com is matched by the wildcard alone
#   planned, candidate B: Fabrikam Public Root G2 -> Fabrikam TLS CA 2026 -> pool01 with exact SANs
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
days=7300

ca() { # name subject [issuer-name]
  local name="$1" subject="$2" issuer="${3:-}"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$work/$name.key" -subj "$subject" -out "$work/$name.csr" 2>/dev/null
  cat > "$work/$name.ext" <<EXT
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
crlDistributionPoints=URI:http://pki.${name#*-}.example/$name.crl
EXT
  if [ -z "$issuer" ]; then
    openssl x509 -req -sha256 -days "$days" -in "$work/$name.csr" -signkey "$work/$name.key" -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
  else
    openssl x509 -req -sha256 -days "$days" -in "$work/$name.csr" -CA "$issuer.pem" -CAkey "$work/$issuer.key" -set_serial "0x$(openssl rand -hex 8)" -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
  fi
}

leaf() { # name cn issuer sans cdp-host
  local name="$1" cn="$2" issuer="$3" sans="$4" cdp="$5"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$work/$name.key" -subj "/CN=$cn" -out "$work/$name.csr" 2>/dev/null
  cat > "$work/$name.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$sans
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
crlDistributionPoints=URI:http://$cdp/CertEnroll/$issuer.crl
authorityInfoAccess=caIssuers;URI:http://$cdp/CertEnroll/$issuer.crt
EXT
  openssl x509 -req -sha256 -days 730 -in "$work/$name.csr" -CA "$issuer.pem" -CAkey "$work/$issuer.key" -set_serial "0x$(openssl rand -hex 8)" -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
}

ca contoso-root "/DC=com/DC=contoso/CN=Contoso Root CA"
ca contoso-issuing "/DC=com/DC=contoso/CN=Contoso Issuing CA 01" contoso-root
leaf pool01 pool01.contoso.com contoso-issuing "DNS:pool01.contoso.com,DNS:sip.contoso.com,DNS:lyncdiscoverinternal.contoso.com" pki.contoso.com
leaf mail mail.contoso.com contoso-issuing "DNS:mail.contoso.com,DNS:autodiscover.contoso.com" pki.contoso.com
ca fabrikam-root "/C=US/O=Fabrikam Trust Services/CN=Fabrikam Public Root G2"
ca fabrikam-tls "/C=US/O=Fabrikam Trust Services/CN=Fabrikam TLS CA 2026" fabrikam-root
leaf wildcard pool01.contoso.com contoso-issuing "DNS:pool01.contoso.com,DNS:*.contoso.com" pki.contoso.com
leaf public-pool01 pool01.contoso.com fabrikam-tls "DNS:pool01.contoso.com,DNS:sip.contoso.com,DNS:lyncdiscoverinternal.contoso.com" crl.fabrikam.example
for f in *.pem; do openssl x509 -in "$f" -noout -subject -enddate | paste -sd' ' -; done
