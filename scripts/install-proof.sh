#!/usr/bin/env bash
# The proof that a user needs no Rust toolchain: installs what `make package` wrote to dist/ in
# a fresh temporary directory, with PATH holding only the system's directories (node, npm and
# the Python interpreters by absolute path; no cargo, no rustc) and an empty HOME (no npm cache,
# no ~/.cargo/bin), then uses each package as a user would:
#   1. npm install --offline of the two tarballs: require and import, a Qlik token signed,
#      verified and explained, `npx qlik-jwt demo`;
#   2. a venv on Python 3.10 and one on the newest Python here, pip install --no-index of the
#      wheel: a Qlik token signed and explained, the `qlik-jwt demo` console script;
#   3. (cargo allowed again) the sdist builds a wheel in a clean venv, and `cargo install` of
#      the packed crate gives the `qlik-jwt` command.
# It also checks what is inside each artifact (licence, no binary in the main npm package, the
# optional dependencies) and the glibc symbol versions the addon and the extension need.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

version=$(node -p "require('./package.json').version")
key=$(node -p "require('./bindings-node/lib/platform').platformKey()")
max_glibc=2.28
system_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

fail() {
  echo "install-proof: FAIL: $*" >&2
  exit 1
}
passed=0
ok() {
  passed=$((passed + 1))
  echo "install-proof: ok: $*"
}

main_tgz=dist/qlik-jwt-$version.tgz
platform_tgz=dist/qlik-jwt-$key-$version.tgz
crate=dist/qlik-jwt-$version.crate
sdist=dist/qlik_jwt-$version.tar.gz
wheels=(dist/qlik_jwt-"$version"-cp310-abi3-*.whl)
wheel=${wheels[0]}
for artifact in "$main_tgz" "$platform_tgz" "$crate" "$sdist" "$wheel"; do
  [ -f "$artifact" ] || fail "$artifact is missing: run \`make package\` first"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- what the artifacts hold ---------------------------------------------------------------
listing=$(tar -tzf "$main_tgz")
grep -qx 'package/LICENSE' <<<"$listing" || fail "$main_tgz has no LICENSE"
if grep -q '\.node$' <<<"$listing"; then fail "$main_tgz holds a binary"; fi
# (Each listing is read whole first: `grep -q` quitting early would fail the pipe.)
listing=$(tar -tzf "$platform_tgz")
grep -qx 'package/LICENSE' <<<"$listing" || fail "$platform_tgz has no LICENSE"
grep -qx "package/qlik-jwt.$key.node" <<<"$listing" || fail "$platform_tgz has no addon"
tar -xzf "$main_tgz" -C "$work" package/package.json
node - "$work/package/package.json" "$version" <<'EOF'
const manifest = require(process.argv[2]);
const version = process.argv[3];
const optional = manifest.optionalDependencies || {};
const targets = manifest.napi.targets.length;
if (Object.keys(optional).length !== targets) throw new Error(`${targets} targets, optional: ${JSON.stringify(optional)}`);
for (const [name, range] of Object.entries(optional)) {
  if (!name.startsWith('qlik-jwt-') || range !== version) throw new Error(`${name}@${range}`);
}
if (manifest.scripts !== undefined) throw new Error(`scripts in the package: ${JSON.stringify(manifest.scripts)}`);
EOF
rm -rf "$work/package"
listing=$(python3 -m zipfile -l "$wheel")
grep -q "qlik_jwt-$version.dist-info/licenses/LICENSE" <<<"$listing" || fail "$wheel has no LICENSE"
listing=$(tar -tzf "$sdist")
grep -qx "qlik_jwt-$version/LICENSE" <<<"$listing" || fail "$sdist has no LICENSE"
listing=$(tar -tzf "$crate")
grep -qx "qlik-jwt-$version/LICENSE" <<<"$listing" || fail "$crate has no LICENSE"
ok "LICENSE in the five artifacts; the main npm package: no binary, no script, 7 optional platform packages at $version"

# --- glibc symbol versions -------------------------------------------------------------------
newest_glibc() { objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }
check_glibc() {
  local needed
  needed=$(newest_glibc "$1")
  [ "$(printf '%s\n%s\n' "$needed" "$max_glibc" | sort -V | tail -1)" = "$max_glibc" ] ||
    fail "$2 needs GLIBC_$needed (more than $max_glibc)"
  ok "$2 needs glibc $needed at most (objdump -T)"
}
if [ "$key" = linux-x64-gnu ]; then
  tar -xzf "$platform_tgz" -C "$work" "package/qlik-jwt.$key.node"
  check_glibc "$work/package/qlik-jwt.$key.node" "the addon"
  python3 -m zipfile -e "$wheel" "$work/wheel"
  check_glibc "$(find "$work/wheel/qlik_jwt" -name '_native*.so')" "the extension module"
  rm -rf "$work/package" "$work/wheel"
  # The platform tags of the file name (e.g. manylinux2014_x86_64.manylinux_2_17_x86_64), one
  # of which must be the one auditwheel finds the wheel consistent with.
  wheel_tags=$(basename "$wheel" .whl | sed 's/.*-abi3-//')
  shown=$(.venv/bin/auditwheel show "$wheel" | tr -s ' \n' ' ')
  audited=$(sed -n 's/.*consistent with the following platform tag: "\([^"]*\)".*/\1/p' <<<"$shown")
  [ -n "$audited" ] && grep -qx "$audited" < <(tr . '\n' <<<"$wheel_tags") ||
    fail "auditwheel does not agree with the tags $wheel_tags: $shown"
  ok "auditwheel show: the wheel is consistent with $audited, a tag of its name ($wheel_tags)"
fi

# --- a machine without Rust --------------------------------------------------------------------
# The interpreter of CPython 3.<minor>: on PATH, or installed by pyenv (whose shims run only the
# versions selected), as an absolute path that works without either.
find_python() {
  local candidate
  for candidate in $(command -v "python3.$1" 2>/dev/null) \
    $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$1".*/bin/python3."$1" 2>/dev/null | sort -rV); do
    if "$candidate" -c 'import sys; print(sys.executable)' 2>/dev/null; then return 0; fi
  done
  return 1
}
python310=$(find_python 10) || fail "Python 3.10 is not installed"
newest_python=
for minor in $(seq 20 -1 11); do
  if newest_python=$(find_python "$minor"); then break; fi
done
[ -n "$newest_python" ] || fail "no Python newer than 3.10 is installed"

mkdir -p "$work/home" "$work/tmp"
bare() {
  env -i HOME="$work/home" TMPDIR="$work/tmp" PATH="$system_path" LANG=C.UTF-8 \
    npm_config_update_notifier=false "$@"
}
for tool in cargo rustc rustup; do
  if bare sh -c "command -v $tool" >/dev/null; then
    fail "$tool is on the system PATH ($system_path): this machine cannot prove an install without Rust"
  fi
done
bare sh -c 'command -v node && command -v npm' >/dev/null || fail "node and npm must be in $system_path"
ok "PATH=$system_path and an empty HOME reach no cargo, rustc or rustup"

# 1. npm
app=$work/node-app
mkdir -p "$app"
cp "$main_tgz" "$platform_tgz" "$work/"
started=$SECONDS
(cd "$app" && bare npm init -y >/dev/null &&
  bare npm install --offline --no-audit --no-fund "$work/$(basename "$main_tgz")" "$work/$(basename "$platform_tgz")")
ok "npm install --offline of the two tarballs ($((SECONDS - started)) s)"
[ ! -e "$app/node_modules/qlik-jwt/bindings-node/qlik-jwt.node" ] || fail "a local build was installed"
(cd "$app" && bare node - <<'EOF'
const assert = require('node:assert/strict');
const jwt = require('qlik-jwt');
const issuer = 'https://issuer.example';
const keyId = 'proof';
const keys = jwt.generateKeys({ keyType: 'p256' });
const signer = jwt.createQlikSigner({ privateKey: keys.privateKey, keyId, issuer });
const token = signer.sign({ sub: 'proof-user', name: 'Proof', email: 'proof@example.com', emailVerified: true, groups: ['Proof'] });
const claims = jwt.verify(token, keys.certificate, { algorithms: ['ES256'], audience: 'qlik.api/login/jwt-session', issuer });
assert.equal(claims.sub, 'proof-user');
assert.deepEqual(jwt.explainQlikToken(token, { issuer, keyId, certificate: keys.certificate }), []);
assert.throws(() => jwt.verify(token, 'not the key'), jwt.JsonWebTokenError);
const addon = require.resolve('qlik-jwt-linux-x64-gnu', { paths: [require.resolve('qlik-jwt')] });
console.log(`require: a Qlik token signed, verified and explained (addon ${addon.replace(/.*node_modules\//, '')})`);
EOF
)
(cd "$app" && bare node --input-type=module - <<'EOF'
import jwt, { sign, verify, decode } from 'qlik-jwt';
const token = sign({ sub: 'esm' }, 'secret', { algorithm: 'HS256' });
if (verify(token, 'secret').sub !== 'esm' || decode(token).sub !== 'esm' || jwt.sign !== sign) {
  throw new Error('import');
}
console.log('import: sign, verify and decode');
EOF
)
ok "require and import work; a Qlik token is signed, verified and explained"
demo=$(cd "$app" && bare npx --offline qlik-jwt demo)
grep -q 'eyJ' <<<"$demo" || fail "npx qlik-jwt demo printed no token: $demo"
ok "npx qlik-jwt demo runs"

# 2. pip
for python in "$python310" "$newest_python"; do
  venv=$work/venv-$(basename "$python")
  bare "$python" -m venv "$venv"
  started=$SECONDS
  bare "$venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$repo/$wheel"
  ok "$("$venv/bin/python" -V): pip install --no-index of the wheel ($((SECONDS - started)) s)"
  bare "$venv/bin/python" - <<'EOF'
import qlik_jwt

issuer, key_id = "https://issuer.example", "proof"
keys = qlik_jwt.generate_keys("p256")
signer = qlik_jwt.QlikSigner(keys.private_key_pem, key_id=key_id, issuer=issuer)
token = signer.sign(sub="proof-user", name="Proof", email="proof@example.com", email_verified=True,
                    groups=["Proof"])
assert qlik_jwt.explain(token, issuer=issuer, key_id=key_id, certificate=keys.certificate_pem) == []
elsewhere = "https://elsewhere.example"
wrong_issuer = qlik_jwt.explain(token, issuer=elsewhere, key_id=key_id, certificate=keys.certificate_pem)
assert [problem.code for problem in wrong_issuer], wrong_issuer
assert not hasattr(qlik_jwt._native, "_panic_now"), "a test hook in the published wheel"
print(f"qlik_jwt {qlik_jwt.__version__}: a Qlik token signed and explained")
EOF
  demo=$(bare "$venv/bin/qlik-jwt" demo)
  grep -q 'eyJ' <<<"$demo" || fail "qlik-jwt demo printed no token: $demo"
  ok "$("$venv/bin/python" -V): a Qlik token signed and explained, the qlik-jwt demo console script runs"
done

# 3. From source, with cargo: the sdist and the crate. Both reuse this checkout's compiled
# dependencies (CARGO_TARGET_DIR and the same toolchain), as a user's repeated builds would.
# shellcheck source=scripts/old-glibc-env.sh
. scripts/old-glibc-env.sh
export CARGO_TARGET_DIR=$repo/target
started=$SECONDS
"$newest_python" -m venv "$work/sdist-venv"
"$work/sdist-venv/bin/pip" wheel --quiet --no-deps --disable-pip-version-check -w "$work/sdist-wheel" "$repo/$sdist"
"$work/sdist-venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$work"/sdist-wheel/*.whl
[ "$("$work/sdist-venv/bin/python" -c 'import qlik_jwt; print(qlik_jwt.__version__)')" = "$version" ] ||
  fail "the wheel built from the sdist"
ok "the sdist builds a wheel in a clean venv, and it installs ($((SECONDS - started)) s)"

started=$SECONDS
tar -xzf "$crate" -C "$work"
cargo install --quiet --locked --offline --path "$work/qlik-jwt-$version" --root "$work/cargo-root" \
  --config 'profile.release.lto="thin"' --config 'profile.release.codegen-units=4'
[ "$("$work/cargo-root/bin/qlik-jwt" --version)" = "qlik-jwt $version" ] || fail "cargo install: qlik-jwt --version"
ok "cargo install of the packed crate gives the qlik-jwt command ($((SECONDS - started)) s)"

echo "install-proof: $passed passed, 0 failed"
