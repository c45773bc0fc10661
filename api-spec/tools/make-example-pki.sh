#!/usr/bin/env bash
# Regenerates the throwaway test PKI whose certificates appear in the OpenAPI and
# event examples (the custdom.com two-tier PKI of field report 000). The private
# keys are thrown away: these certificates exist only so that examples carry real,
# parseable PEM. Output: one PEM file per certificate in the directory given.
set -euo pipefail
out="${1:?usage: make-example-pki.sh OUTDIR}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

key() { openssl genrsa -out "$1.key" 2048 2>/dev/null; }

# Self-signed roots: the new offline root (SHA-256) and the old single-tier root (SHA-1).
key root
openssl req -x509 -new -key root.key -sha256 -days 7300 -set_serial 0x1a2b3c01 \
  -subj "/DC=com/DC=custdom/CN=RootCA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out root.pem
key oldroot
openssl req -x509 -new -key oldroot.key -sha1 -days 3650 -set_serial 0x0badc0de \
  -subj "/DC=com/DC=custdom/CN=custdom-OLDROOT-CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out oldroot.pem

# Issuing CA under the new root, with AIA/CDP on RootCA.custdom.com (the host field
# report 000 found missing from internal DNS).
key issuing
openssl req -new -key issuing.key -subj "/DC=com/DC=custdom/CN=IssuingCA" -out issuing.csr
cat > issuing.ext <<X
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
authorityInfoAccess=caIssuers;URI:http://RootCA.custdom.com/CertEnroll/RootCA.crt
crlDistributionPoints=URI:http://RootCA.custdom.com/CertEnroll/RootCA.crl
X
openssl x509 -req -in issuing.csr -CA root.pem -CAkey root.key -set_serial 0x610000000a -sha256 \
  -days 3650 -extfile issuing.ext -out issuing.pem 2>/dev/null

leaf() { # name issuer subject sanlist extra-ext...
  local name="$1" ca="$2" subject="$3" san="$4"
  shift 4
  key "$name"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
    echo "subjectAltName=$san"
    printf '%s\n' "$@"
  } > "$name.ext"
  local md=sha256
  if [ "$ca" = oldroot ]; then md=sha1; fi
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -set_serial "0x$(openssl rand -hex 8)" \
    -"$md" -days 730 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}
cdp="crlDistributionPoints=URI:http://IssuingCA.custdom.com/CertEnroll/IssuingCA.crl"
aia="authorityInfoAccess=caIssuers;URI:http://IssuingCA.custdom.com/CertEnroll/IssuingCA.crt"
leaf pool issuing "/C=US/O=Custdom/CN=sfbpool.custdom.com" \
  "DNS:sfbpool.custdom.com,DNS:sip.custdom.com,DNS:lyncdiscoverinternal.custdom.com" \
  "extendedKeyUsage=serverAuth,clientAuth" "$cdp" "$aia"
leaf ews issuing "/C=US/O=Custdom/CN=casarray.custdom.com" \
  "DNS:casarray.custdom.com,DNS:autodiscover.custdom.com" "extendedKeyUsage=serverAuth" "$cdp" "$aia"
# The pool certificate before the change: issued by the old single-tier SHA-1 CA.
leaf oldpool oldroot "/C=US/O=Custdom/CN=sfbpool.custdom.com" \
  "DNS:sfbpool.custdom.com,DNS:sip.custdom.com,DNS:lyncdiscoverinternal.custdom.com" \
  "extendedKeyUsage=serverAuth,clientAuth" \
  "crlDistributionPoints=URI:http://pki.custdom.com/CertEnroll/custdom-OLDROOT-CA.crl"
# A chain that trips the pre-flight lint: wildcard CN, no CRL distribution point.
leaf wildcard issuing "/C=US/O=Custdom/CN=*.custdom.com" "DNS:*.custdom.com" "extendedKeyUsage=serverAuth"

cp root.pem issuing.pem oldroot.pem oldpool.pem pool.pem ews.pem wildcard.pem "$out/"
for f in "$out"/*.pem; do
  printf '%s: %s\n' "$(basename "$f")" "$(openssl x509 -in "$f" -noout -subject -fingerprint -sha256)"
done
