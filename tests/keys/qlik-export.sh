#!/bin/sh
# Makes the files of a Qlik Sense certificate export, as the QMC's "Export certificates" writes
# them, for the key-import tests, each named qlik-export-<Qlik's file name>: root.pem (the site's
# CA), client.pem (its certificate for the client key), client_key.pem (PKCS#1 "RSA PRIVATE KEY"
# PEM, as Qlik writes it), and client.pfx in two encodings (the "Windows format" export, password
# qlik-jwt-test):
# - client.pfx: legacy PKCS#12 (keys in PBE-SHA1-3DES, certificates in PBE-SHA1-RC2-40, SHA-1
#   MAC), as older Windows exports are;
# - client-aes256.pfx: OpenSSL 3's default (PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC,
#   SHA-256 MAC).
# Also not-a-pfx.pfx (PEM text under a .pfx name) for the error tests. generate.sh runs it.
# Public test fixtures: never use these keys for anything real.
set -eu
cd "$(dirname "$0")"
P=qlik-export-
openssl req -x509 -newkey rsa:2048 -nodes -keyout ${P}root_key.tmp -out ${P}root.pem \
  -days 3650 -subj "/CN=qlik-jwt-test-CA"
openssl genrsa -traditional -out ${P}client_key.pem 2048
openssl req -new -key ${P}client_key.pem -subj "/CN=QlikClient" -out ${P}client.csr.tmp
openssl x509 -req -in ${P}client.csr.tmp -CA ${P}root.pem -CAkey ${P}root_key.tmp \
  -CAcreateserial -CAserial ${P}root.srl.tmp -days 3650 -out ${P}client.pem
openssl pkcs12 -export -legacy -inkey ${P}client_key.pem -in ${P}client.pem \
  -certfile ${P}root.pem -name QlikClient -passout pass:qlik-jwt-test -out ${P}client.pfx
openssl pkcs12 -export -inkey ${P}client_key.pem -in ${P}client.pem -certfile ${P}root.pem \
  -name QlikClient -passout pass:qlik-jwt-test -out ${P}client-aes256.pfx
cp ${P}client_key.pem ${P}not-a-pfx.pfx
rm -f ${P}*.tmp
