// SPDX-License-Identifier: Apache-2.0
// scripts/ci/set-methods.cjs - the ES2025 Set methods (union, intersection, difference,
// symmetricDifference, isSubsetOf, isSupersetOf, isDisjointFrom) for Node.js 20, which lacks
// them; gitlab-ci-local's bundle (4.74 and later) calls them at load time. Loaded with
// `node --require`; a Node that has them keeps its own.
const P = Set.prototype;
const def = (name, fn) => {
  if (!P[name]) Object.defineProperty(P, name, { value: fn, writable: true, configurable: true });
};
def("union", function (o) { const r = new Set(this); for (const x of o.keys()) r.add(x); return r; });
def("intersection", function (o) { const r = new Set(); for (const x of this) if (o.has(x)) r.add(x); return r; });
def("difference", function (o) { const r = new Set(); for (const x of this) if (!o.has(x)) r.add(x); return r; });
def("symmetricDifference", function (o) {
  const r = new Set(this);
  for (const x of o.keys()) { if (this.has(x)) r.delete(x); else r.add(x); }
  return r;
});
def("isSubsetOf", function (o) { for (const x of this) if (!o.has(x)) return false; return true; });
def("isSupersetOf", function (o) { for (const x of o.keys()) if (!this.has(x)) return false; return true; });
def("isDisjointFrom", function (o) { for (const x of this) if (o.has(x)) return false; return true; });
