// verify_credential.mjs checks a Beacon Open Badges credential the way an
// outside verifier would, with the jose library only:
//   node verify_credential.mjs NODE_MODULES BASE_URL CREDENTIAL_FILE
// It fetches the JWK set and the did:web document from BASE_URL, verifies
// the compact JWS (EdDSA, typ vc+jwt) against both, checks the credential's
// type and issuer, then fetches and verifies the status list credential,
// gunzips the bitstring and reads the credential's bit. It prints one JSON
// line: {"status": "valid"|"revoked"|"invalid", ...}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const [modules, base, file] = process.argv.slice(2);
const jose = await import(pathToFileURL(createRequire(modules + "/").resolve("jose")).href);
const out = (o) => { console.log(JSON.stringify(o)); process.exit(0); };

const token = readFileSync(file, "utf8").trim();
const remote = jose.createRemoteJWKSet(new URL(base + "/.well-known/jwks.json"));
let payload, protectedHeader;
try {
  ({ payload, protectedHeader } = await jose.jwtVerify(token, remote, { typ: "vc+jwt", algorithms: ["EdDSA"] }));
} catch (e) {
  out({ status: "invalid", error: String(e.code || e.message) });
}
if (protectedHeader.cty !== "vc") out({ status: "invalid", error: "cty " + protectedHeader.cty });

// The same key, found through did:web.
const did = await (await fetch(base + "/.well-known/did.json")).json();
const method = did.verificationMethod.find((m) => m.id === did.id + "#" + protectedHeader.kid);
if (!method || !did.assertionMethod.includes(method.id)) out({ status: "invalid", error: "kid not in did.json" });
await jose.compactVerify(token, jose.createLocalJWKSet({ keys: [method.publicKeyJwk] }));

if (!payload.type.includes("OpenBadgeCredential")) out({ status: "invalid", error: "type " + payload.type });
const issuer = await (await fetch(payload.issuer.id)).json();
if (payload.issuer.id !== base + "/credentials/issuer" || issuer.id !== payload.issuer.id || !issuer.type.includes("Profile")) {
  out({ status: "invalid", error: "issuer " + payload.issuer.id });
}

const entry = payload.credentialStatus;
if (entry.type !== "BitstringStatusListEntry" || entry.statusPurpose !== "revocation") out({ status: "invalid", error: "status entry" });
const listJWT = await (await fetch(entry.statusListCredential)).text();
const { payload: list } = await jose.jwtVerify(listJWT, remote, { typ: "vc+jwt", algorithms: ["EdDSA"] });
if (!list.type.includes("BitstringStatusListCredential") || list.id !== entry.statusListCredential) out({ status: "invalid", error: "status list type" });
const encoded = list.credentialSubject.encodedList;
if (!encoded.startsWith("u")) out({ status: "invalid", error: "encodedList is not multibase base64url" });
const bits = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
const index = Number(entry.statusListIndex);
const set = (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
out({
  status: set ? "revoked" : "valid", kid: protectedHeader.kid, issuer: payload.issuer.name,
  achievement: payload.credentialSubject.achievement.name, holder: (payload.credentialSubject.identifier || [{}])[0].identityHash || "",
  listBits: bits.length * 8,
});
