#!/bin/sh
# Regenerates every test key in this directory. PUBLIC TEST FIXTURES: never use them for anything real.
set -eu
cd "$(dirname "$0")"
O=/usr/bin/openssl
SUBJ="/CN=qlik-jwt test fixture"

# RSA 2048: PKCS#8 and PKCS#1 private, SPKI and PKCS#1 public, self-signed X.509 (PEM and DER)
$O genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-private-pkcs8.pem
$O pkey -in rsa2048-private-pkcs8.pem -traditional -out rsa2048-private-pkcs1.pem
$O pkey -in rsa2048-private-pkcs8.pem -outform DER -out rsa2048-private-pkcs8.der
$O rsa -in rsa2048-private-pkcs8.pem -outform DER -traditional -out rsa2048-private-pkcs1.der
$O pkey -in rsa2048-private-pkcs8.pem -pubout -out rsa2048-public-spki.pem
$O pkey -in rsa2048-private-pkcs8.pem -pubout -outform DER -out rsa2048-public-spki.der
$O rsa -in rsa2048-private-pkcs8.pem -RSAPublicKey_out -out rsa2048-public-pkcs1.pem
$O req -new -x509 -key rsa2048-private-pkcs8.pem -subj "$SUBJ" -days 36500 -out rsa2048-cert.pem
$O x509 -in rsa2048-cert.pem -outform DER -out rsa2048-cert.der

# RSA 4096, the Qlik tutorial's way
$O genrsa -out rsa4096-privatekey.pem 4096
$O req -new -x509 -key rsa4096-privatekey.pem -subj "$SUBJ" -days 36500 -out rsa4096-publickey.cer

# RSA 1024 (too small for jsonwebtoken 9 without allowInsecureKeySizes)
$O genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024-private-pkcs8.pem
$O pkey -in rsa1024-private-pkcs8.pem -pubout -out rsa1024-public-spki.pem

# RSA-PSS 2048 (OID id-RSASSA-PSS)
$O genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsapss2048-private-pkcs8.pem
$O pkey -in rsapss2048-private-pkcs8.pem -pubout -out rsapss2048-public-spki.pem
# RSA-PSS 2048 restricted to SHA-256, MGF1-SHA-256, salt >= 32 (Node: asymmetricKeyDetails)
$O genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out rsapss2048-sha256-private-pkcs8.pem
$O pkey -in rsapss2048-sha256-private-pkcs8.pem -pubout -out rsapss2048-sha256-public-spki.pem

# EC P-256, P-384, P-521: PKCS#8, SEC1, SEC1 after EC PARAMETERS, SPKI, DER
for c in 256:prime256v1 384:secp384r1 521:secp521r1; do
  n=${c%%:*}; curve=${c#*:}
  $O ecparam -name "$curve" -genkey -out ec$n-private-sec1-params.pem
  $O ec -in ec$n-private-sec1-params.pem -out ec$n-private-sec1.pem
  $O pkcs8 -topk8 -nocrypt -in ec$n-private-sec1.pem -out ec$n-private-pkcs8.pem
  $O pkey -in ec$n-private-sec1.pem -outform DER -out ec$n-private-pkcs8.der
  $O ec -in ec$n-private-sec1.pem -outform DER -out ec$n-private-sec1.der
  $O ec -in ec$n-private-sec1.pem -pubout -out ec$n-public-spki.pem
  $O ec -in ec$n-private-sec1.pem -pubout -outform DER -out ec$n-public-spki.der
done
$O req -new -x509 -key ec256-private-pkcs8.pem -subj "$SUBJ" -days 36500 -out ec256-cert.pem

# Keys no JWS algorithm here uses
$O ecparam -name secp256k1 -genkey -noout -out secp256k1-private-sec1.pem
$O pkcs8 -topk8 -nocrypt -in secp256k1-private-sec1.pem -out secp256k1-private-pkcs8.pem
$O ec -in secp256k1-private-sec1.pem -pubout -out secp256k1-public-spki.pem
$O genpkey -algorithm ED25519 -out ed25519-private-pkcs8.pem
$O pkey -in ed25519-private-pkcs8.pem -pubout -out ed25519-public-spki.pem

# Encrypted PKCS#8 (openssl default: PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC), passphrase "qlik-jwt-test"
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout pass:qlik-jwt-test -out rsa2048-private-pkcs8-encrypted.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout pass:qlik-jwt-test -out ec256-private-pkcs8-encrypted.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout pass:qlik-jwt-test -outform DER -out rsa2048-private-pkcs8-encrypted.der
# Same with AES-128-CBC and HMAC-SHA1 PRF (older tools' choice)
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout pass:qlik-jwt-test -v2 aes-128-cbc -v2prf hmacWithSHA1 -out ec256-private-pkcs8-encrypted-aes128-sha1.pem
# Legacy OpenSSL-encrypted PEM (Proc-Type: 4,ENCRYPTED)
$O rsa -in rsa2048-private-pkcs8.pem -traditional -aes256 -passout pass:qlik-jwt-test -out rsa2048-private-pkcs1-legacy-encrypted.pem

# JWKs, exported by Node's crypto (KeyObject.export({ format: 'jwk' }))
for k in rsa2048 ec256 ec384 ec521; do
  case $k in rsa2048) priv=rsa2048-private-pkcs8.pem;; *) priv=$k-private-pkcs8.pem;; esac
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const key = crypto.createPrivateKey(fs.readFileSync(process.argv[1]));
    fs.writeFileSync(process.argv[2], JSON.stringify(key.export({ format: "jwk" })) + "\n");
    fs.writeFileSync(process.argv[3], JSON.stringify(crypto.createPublicKey(key).export({ format: "jwk" })) + "\n");
  ' "$priv" "$k-private.jwk.json" "$k-public.jwk.json"
done

# Signatures made by openssl over message.txt, to check that qlik-jwt verifies them
printf 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJxbGlrLWp3dCJ9' > message.txt
$O dgst -sha256 -sign rsa2048-private-pkcs8.pem -out message.rsa2048.RS256.sig message.txt
$O dgst -sha256 -sign rsa2048-private-pkcs8.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out message.rsa2048.PS256.sig message.txt
$O dgst -sha512 -sign rsa4096-privatekey.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out message.rsa4096.PS512.sig message.txt
$O dgst -sha256 -sign rsapss2048-private-pkcs8.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out message.rsapss2048.PS256.sig message.txt
$O dgst -sha256 -sign ec256-private-pkcs8.pem -out message.ec256.ES256.der.sig message.txt
$O dgst -sha384 -sign ec384-private-pkcs8.pem -out message.ec384.ES384.der.sig message.txt
$O dgst -sha512 -sign ec521-private-pkcs8.pem -out message.ec521.ES512.der.sig message.txt
$O dgst -sha256 -hmac qlik-jwt-secret -binary -out message.HS256.sig message.txt

# Encrypted keys as Node's crypto exports them (passphrase "qlik-jwt-test")
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const key = crypto.createPrivateKey(fs.readFileSync("ec384-private-pkcs8.pem"));
  const rsa = crypto.createPrivateKey(fs.readFileSync("rsa2048-private-pkcs8.pem"));
  const opts = { format: "pem", cipher: "aes-256-cbc", passphrase: "qlik-jwt-test" };
  fs.writeFileSync("ec384-private-pkcs8-encrypted-node.pem", key.export({ type: "pkcs8", ...opts }));
  fs.writeFileSync("ec384-private-sec1-legacy-encrypted-node.pem", key.export({ type: "sec1", ...opts }));
  fs.writeFileSync("rsa2048-private-pkcs1-legacy-encrypted-node.pem", rsa.export({ type: "pkcs1", ...opts }));
'

# Every further form of the key-form table (forms.sh beside this file)
sh ./forms.sh

# What a Qlik Sense certificate export gives: PEM keys and PKCS#12 files (qlik-export.sh)
sh ./qlik-export.sh
