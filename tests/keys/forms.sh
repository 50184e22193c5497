#!/bin/sh
# The further key forms of the key-form table (tests/vectors/key-forms.json): every way OpenSSL
# writes a key that jsonwebtoken may be handed. Run by generate.sh after it; most forms are
# rewritings of the keys it made. PUBLIC TEST FIXTURES: never use them for anything real.
set -eu
cd "$(dirname "$0")"
O=/usr/bin/openssl
P=pass:qlik-jwt-test
SUBJ="/CN=qlik-jwt test fixture"

# PKCS#8 encryption: the ciphers and KDFs OpenSSL 3 writes with its default provider
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 aes-128-cbc -out rsa2048-private-pkcs8-encrypted-aes128.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 aes-192-cbc -out rsa2048-private-pkcs8-encrypted-aes192.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 des3 -out rsa2048-private-pkcs8-encrypted-des3.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 aes-256-cbc -v2prf hmacWithSHA512 -out rsa2048-private-pkcs8-encrypted-sha512.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -out rsa2048-private-pkcs8-encrypted-scrypt.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v1 PBE-SHA1-3DES -out rsa2048-private-pkcs8-encrypted-pbe-sha1-3des.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v1 PBE-SHA1-2DES -out rsa2048-private-pkcs8-encrypted-pbe-sha1-2des.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 des3 -out ec256-private-pkcs8-encrypted-des3.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v1 PBE-SHA1-3DES -out ec256-private-pkcs8-encrypted-pbe-sha1-3des.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 des3 -outform DER -out ec256-private-pkcs8-encrypted-des3.der
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 camellia-256-cbc -out rsa2048-private-pkcs8-encrypted-camellia256.pem
$O pkcs8 -topk8 -in rsa2048-private-pkcs8.pem -passout $P -v2 camellia-128-cbc -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -out rsa2048-private-pkcs8-encrypted-camellia128-scrypt.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 aria-128-cbc -out ec256-private-pkcs8-encrypted-aria128.pem
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 aria-192-cbc -v2prf hmacWithSHA1 -out ec256-private-pkcs8-encrypted-aria192-sha1.pem
# ... and with the legacy provider (DES, RC2): Node's OpenSSL cannot read these
$O pkcs8 -topk8 -provider legacy -provider default -in rsa2048-private-pkcs8.pem -passout $P -v2 des-cbc -out rsa2048-private-pkcs8-encrypted-des.pem
$O pkcs8 -topk8 -provider legacy -provider default -in rsa2048-private-pkcs8.pem -passout $P -v1 PBE-SHA1-RC2-40 -out rsa2048-private-pkcs8-encrypted-pbe-sha1-rc2-40.pem

# Legacy PEM encryption (Proc-Type: 4,ENCRYPTED)
$O rsa -in rsa2048-private-pkcs8.pem -traditional -aes128 -passout $P -out rsa2048-private-pkcs1-legacy-encrypted-aes128.pem
$O rsa -in rsa2048-private-pkcs8.pem -traditional -des3 -passout $P -out rsa2048-private-pkcs1-legacy-encrypted-des3.pem
$O ec -in ec256-private-sec1.pem -aes192 -passout $P -out ec256-private-sec1-legacy-encrypted-aes192.pem
$O ec -in ec256-private-sec1.pem -des3 -passout $P -out ec256-private-sec1-legacy-encrypted-des3.pem
$O rsa -in rsa2048-private-pkcs8.pem -traditional -camellia256 -passout $P -out rsa2048-private-pkcs1-legacy-encrypted-camellia256.pem
$O ec -in ec256-private-sec1.pem -aria128 -passout $P -out ec256-private-sec1-legacy-encrypted-aria128.pem

# EC keys with explicit curve parameters: the keys above rewritten, and new keys made that way
for n in 256 384 521; do
  $O ec -in ec$n-private-sec1.pem -param_enc explicit -out ec$n-private-sec1-explicit.pem
  $O pkcs8 -topk8 -nocrypt -in ec$n-private-sec1-explicit.pem -out ec$n-private-pkcs8-explicit.pem
  $O ec -in ec$n-private-sec1.pem -pubout -param_enc explicit -out ec$n-public-spki-explicit.pem
done
$O pkcs8 -topk8 -nocrypt -in ec256-private-sec1-explicit.pem -outform DER -out ec256-private-pkcs8-explicit.der
$O ec -in ec256-private-sec1.pem -pubout -param_enc explicit -outform DER -out ec256-public-spki-explicit.der
$O pkcs8 -topk8 -in ec256-private-pkcs8-explicit.pem -passout $P -out ec256-private-pkcs8-explicit-encrypted.pem
for c in 256:prime256v1 384:secp384r1 521:secp521r1; do
  n=${c%%:*}; curve=${c#*:}
  $O ecparam -name "$curve" -genkey -param_enc explicit -out ec${n}x-private-sec1-explicit-params.pem
  $O ec -in ec${n}x-private-sec1-explicit-params.pem -pubout -param_enc explicit -out ec${n}x-public-spki-explicit.pem
done
# Compressed points (the explicit generator too)
$O ec -in ec256-private-sec1.pem -conv_form compressed -out ec256-private-sec1-compressed.pem
$O ec -in ec256-private-sec1.pem -pubout -conv_form compressed -out ec256-public-spki-compressed.pem
$O ec -in ec256-private-sec1.pem -pubout -conv_form compressed -param_enc explicit -out ec256-public-spki-explicit-compressed.pem
$O ec -in ec384-private-sec1.pem -pubout -conv_form compressed -out ec384-public-spki-compressed.pem
# Explicit curves that are no supported curve: secp256k1, and P-256 with 2G as generator
$O ec -in secp256k1-private-sec1.pem -param_enc explicit -out secp256k1-private-sec1-explicit.pem
$O ec -in secp256k1-private-sec1.pem -pubout -param_enc explicit -out secp256k1-public-spki-explicit.pem
$O asn1parse -genconf p256-2g-params.cnf -noout -out p256-2g-params.der
$O ecparam -inform DER -in p256-2g-params.der -genkey -param_enc explicit -out ecp256g2-private-sec1-explicit-params.pem
$O ec -in ecp256g2-private-sec1-explicit-params.pem -pubout -param_enc explicit -out ecp256g2-public-spki-explicit.pem
rm p256-2g-params.der

# Certificates of EC P-384 and RSA-PSS keys
$O req -new -x509 -key ec384-private-pkcs8.pem -subj "$SUBJ" -days 36500 -out ec384-cert.pem
$O req -new -x509 -key rsapss2048-sha256-private-pkcs8.pem -subj "$SUBJ" -days 36500 -out rsapss2048-sha256-cert.pem

# Key types no JWS algorithm uses: X25519, DSA (PKCS#8 and traditional), Ed25519 traditional-less
$O genpkey -algorithm X25519 -out x25519-private-pkcs8.pem
$O pkey -in x25519-private-pkcs8.pem -pubout -out x25519-public-spki.pem
$O genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa2048-params.pem
$O genpkey -paramfile dsa2048-params.pem -out dsa2048-private-pkcs8.pem
$O pkey -in dsa2048-private-pkcs8.pem -traditional -out dsa2048-private-traditional.pem
$O pkey -in dsa2048-private-pkcs8.pem -pubout -out dsa2048-public-spki.pem
rm dsa2048-params.pem
$O pkey -in ed25519-private-pkcs8.pem -outform DER -out ed25519-private-pkcs8.der

# RSA: traditional PKCS#1 of RSA-1024, RSA 4096 public SPKI
$O pkey -in rsa1024-private-pkcs8.pem -traditional -out rsa1024-private-pkcs1.pem
$O pkey -in rsa4096-privatekey.pem -pubout -out rsa4096-public-spki.pem

# PKCS#8 encryption with OpenSSL's other modes (ECB, CFB, OFB, CTR), SM4, two-key DES-EDE (ECB)
# and the HMAC-MD5 and SHA-512/t PRFs
for c in aes-128-ecb aes-256-cfb aes-192-ofb sm4-cbc sm4-ecb sm4-cfb sm4-ofb sm4-ctr camellia-128-ecb camellia-128-cfb camellia-256-ofb camellia-192-ctr aria-128-ecb aria-192-cfb aria-128-ofb aria-256-ctr des-ede; do
  $O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 $c -out ec256-private-pkcs8-encrypted-$c.pem
done
for prf in hmacWithMD5 hmacWithSHA512-224 hmacWithSHA512-256; do
  $O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 aes-256-cbc -v2prf $prf -out ec256-private-pkcs8-encrypted-$prf.pem
done
$O pkcs8 -topk8 -in ec256-private-pkcs8.pem -passout $P -v2 sm4-cbc -v2prf hmacWithMD5 -out ec256-private-pkcs8-encrypted-sm4-cbc-hmacWithMD5.pem
# Legacy PEM encryption with those modes and ciphers (ECB is not written: it has no IV)
for c in aes-128-cfb aes-192-cfb8 aes-256-ofb aes-128-ctr sm4-cbc sm4-cfb sm4-ofb sm4-ctr camellia-128-cfb camellia-192-ofb camellia-256-ctr aria-128-cfb8 aria-256-ofb aria-192-ctr des-ede3-cfb des-ede3-cfb8 des-ede3-ofb des-ede-cbc des-ede-cfb des-ede-ofb; do
  $O ec -in ec256-private-sec1.pem -$c -passout $P -out ec256-private-sec1-legacy-encrypted-$c.pem
done
# Legacy PEM in 1-bit CFB mode
for c in aes-128-cfb1 camellia-192-cfb1 aria-256-cfb1 des-ede3-cfb1; do
  $O ec -in ec256-private-sec1.pem -$c -passout $P -out ec256-private-sec1-legacy-encrypted-$c.pem
done
