/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_tdx_quote.c - DCAP quote v4/v5 parser and crypto checks against the real vectors in
 * vectors/tdx-quote/ (expected values copied by hand from vectors/MANIFEST.md, not produced
 * by the parser), plus truncation and length-field corruption sweeps, one crafted test per
 * strict check of docs/formats.md §2.10, and the go-tdx-guest v5 mutation expectations.
 *
 * The layout offsets used to mutate a vector are computed here from formats.md §2.2-§2.6
 * (header 48, v4 body 584 / v5 descriptor 6 + 648, sig_data_len, 134-byte fixed signature
 * data, 450-byte fixed QE certification data), independently of lib/tdx_quote.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "teeabi/tdx.h"
#include "testutil.h"

#define Z16 "00000000000000000000000000000000"
#define Z48 Z16 Z16 Z16
#define Z64 Z16 Z16 Z16 Z16

/* formats.md §2.1 and §3 (values of every real TD-QE) */
#define INTEL_QE_VENDOR "939a7233f79c4ca9940a0db3957f0607"
#define QE_MR_SIGNER    "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"
#define QE_ATTRIBUTES   "1500000000000000e700000000000000"

struct qvec {
	const char *path;
	unsigned version;
	uint32_t sig_len;
	size_t quote_len, trailing;
	bool trailing_zero;
	unsigned inner_type;
	uint32_t m;
	bool nul;
	unsigned qe_auth_len;
	unsigned qe_isvsvn;
	uint64_t td_attr, xfam;
	const char *tee_tcb_svn, *tee_tcb_svn2, *mr_servicetd, *mrseam, *mrtd, *rtmr[4], *report_data;
};

/* Copied from vectors/MANIFEST.md "Per-file detail" (field: version, sig_data_len, quote_len,
 * trailing_bytes, trailing_all_zero, inner_cert_type, pem_chain_len_M, pem_nul_terminated,
 * qe_auth_len, qe_isvsvn, td_attributes, xfam, tee_tcb_svn, tee_tcb_svn2, mr_servicetd,
 * mrseam, mrtd, rtmr0..3, report_data). */
static const struct qvec vecs[] = {
	{ "vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat", 4, 4299, 4935, 39, false, 5, 3677, false, 32,
	  4, 0x40000000ull, 0x61ae7ull, "03000400000000000000000000000000",
	  NULL, NULL,
	  "2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9fab60fbe9d0c5a5363c656",
	  "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb",
	  { "2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42976823adf08f833c1e50b51779c6593f32a",
	    "2c700b8ba9b85783f8be9fb9443647bdc0bb3c50747f06297cc6538c25a5f589c4b56d035c59107c6bc5800db2cacb61",
	    "8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466fe59c7368b3c2287fc7c3bf5c924eb4424e",
	    Z48 },
	  "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6f29f8acb281f1113" },
	{ "vectors/tdx-quote/go-tdx-guest__cos-113-tdx-quote.dat", 4, 4299, 4935, 3065, true, 5, 3677, false, 32,
	  6, 0x10000000ull, 0x600e7ull, "04010700000000000000000000000000",
	  NULL, NULL,
	  "ffc97a88587660fb04e1f7c851300c96ae0b5a463ac46d035d16c2d9f36d0ed1d23775bcbd27deb219e3a3cc28023895",
	  "dae67181d3d65e073ad8f95b7907d5e927bfe9761c9ff3e9b89734a45d8954dba41394c7717cb2735396c1d04231f94a",
	  { "3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6",
	    "f62dbc072bd5d3f3438b7b35c39a727f5aea2ffc2473f43723953f530daf62504f0a7944aa62c41a86e8a878c2b122c1",
	    "4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f381a6fbe7c1",
	    Z48 },
	  Z64 },
	{ "vectors/tdx-quote/trustee__tdx_quote_4.dat", 4, 4300, 4936, 0, true, 5, 3678, true, 32,
	  4, 0x10000001ull, 0x642e7ull, "03000500000000000000000000000000",
	  NULL, NULL,
	  "2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9fab60fbe9d0c5a5363c656",
	  "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031",
	  { "e940da7c2712d2790e2961e00484f4fa8e6f9eed71361655ae22699476b14f9e63867eb41edd4b480fef0c59f496b288",
	    "559cfcf42716ed6c40a48a73d5acb7da255435012f0a9f00fbe8c1c57612ede486a5684c4c9ff3ddf52315fcdca3a596",
	    Z48,
	    Z48 },
	  "7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429" },
	{ "vectors/tdx-quote/trustee__az-tdx-vtpm_td-quote.bin", 4, 4300, 4936, 70, true, 5, 3678, true, 32,
	  5, 0x0ull, 0x618e7ull, "02010600000000000000000000000000",
	  NULL, NULL,
	  "360304d34a16aace0a18e09ad2d07d2b9fd3c174378e5bf108388079827f89ff62acc5f8c473dd40706324834e202946",
	  "024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b",
	  { Z48,
	    Z48,
	    Z48,
	    Z48 },
	  "9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e5938390000000000000000000000000000000000000000000000000000000000000000" },
	{ "vectors/tdx-quote/dcap-qvl__tdx_quote.dat", 4, 4300, 4936, 70, true, 5, 3678, true, 32,
	  6, 0x10000000ull, 0x602e7ull, "06010300000000000000000000000000",
	  NULL, NULL,
	  "5b38e33a6487958b72c3c12a938eaa5e3fd4510c51aeeab58c7d5ecee41d7c436489d6c8e4f92f160b7cad34207b00c1",
	  "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
	  { "44c0197b39157fdd7a4dcc44767f9d6b0bb3977c7a8e347b8492f827fe9d9e5c48aca29b220b80b6a540cf994b9bc9c0",
	    "0084452c01668329d4bc06acdf58a7205c26743304509973949e5619bf81a6a7aea8c323c173019b3093d54e579e9378",
	    "d833feef2cd945148aa38ead2c53e9b7f138190aaaebfc551dccd829fc207aa3ba80b70870d7330733642e01d48c3132",
	    Z48 },
	  "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20" },
	{ "vectors/tdx-quote/dcap-qvl__tdx-quote.bin", 4, 4300, 4936, 70, true, 5, 3678, true, 32,
	  6, 0x10000000ull, 0x602e7ull, "05010200000000000000000000000000",
	  NULL, NULL,
	  "1cc6a17ab799e9a693fac7536be61c12ee1e0fabada82d0c999e08ccee2aa86de77b0870f558c570e7ffe55d6d47fa04",
	  "7ba9e262ce6979087e34632603f354dd8f8a870f5947d116af8114db6c9d0d74c48bec4280e5b4f4a37025a10905bb29",
	  { "4574c098915caf3e82057817dbd135c1ed0ee1b39ac300c921479e2f5ebf5726a13ee0c8745ac891b6aee7c4f9664610",
	    Z48,
	    Z48,
	    "547fcba4630bfb981169a8a1903b79c244933413409dd0387acbd8e3b985bcc9164cf52735cd31f60bf2c5d1220c113f" },
	  "7148f47ef58b475fce69b386e2d6b4c964a9533cc328ea8e544db66612a5174698d006951cefa8fd4450e884300638e567e22f9a012ef5754aa6a9d9564fcd8a" },
	{ "vectors/tdx-quote/teekit__tdx-v4-moemahhouk.dat", 4, 4300, 4936, 70, true, 5, 3678, true, 32,
	  5, 0x8000000010000000ull, 0x602e7ull, "04010200000000000000000000000000",
	  NULL, NULL,
	  "9790d89a10210ec6968a773cee2ca05b5aa97309f36727a968527be4606fc19e6f73acce350946c9d46a9bf7a63f8430",
	  "f2dd2696f69b950645832bdc095ffd11247eeff687eeacdb57a58d2ddb9a9f94fea40c961e19460c00ffa31420ecbc18",
	  { "0998204508d58dcbfebe5e11c48669f7a921ac2da744dfb7d014ecdff2acdff1c9f665fdad52aadacf296a1df9909eb2",
	    "383d100224f1716aeb431f7cb3cf028197dbd872487f27b0f6329ab17647dc9953c7014109818634f879e6550bc60f93",
	    "eecfc42ff4d49278bfdbb0c77e570f4490cff10a2ee1ac11fbd2c2b49fa6cfa3cf1a1cb755c72522dd8a689e9d47906a",
	    Z48 },
	  "278e753482976c8a7351fe2113609c7350d491cdae3d449eefc202fa41b2ad6840239cc2ba084c2d594b4e6dabeae0fcbf71c96daf0d0c9ecf0e9810c0457900" },
	{ "vectors/tdx-quote/cc-trusted-api__quote.bin", 4, 4320, 4956, 70, true, 5, 3698, true, 32,
	  1, 0x10000000ull, 0x61ae7ull, "04010100000000000000000000000000",
	  NULL, NULL,
	  "9790d89a10210ec6968a773cee2ca05b5aa97309f36727a968527be4606fc19e6f73acce350946c9d46a9bf7a63f8430",
	  "f196de066c69e2f9378d4d316f2d4853fb2856f5c9b7fb6d2f4a45aebdb7141645ae302d48550bd0df8ae0915a39bc2b",
	  { "c15727cac1f57d0e91106da180b3eaba72116661e17ba0553773843a9b072ecfa38cc803dfb55e0f87ec236780adb3a6",
	    "61e958c6f954ce23031fb3cae87bf4da209d697bc15a4aefcdcc92070f7b2df34720b2bb57de89c9d03c7c9aa1136569",
	    "247eed9f748b228edb65339138eb20ccf78867bc3ec68bb40faffba40ed0f87444a389001e7d1c46a2df56353c047cf2",
	    Z48 },
	  "be588d6fb83c176b1a45f670710d07da4847fe91c131939da3b2cc569c085909fe0fa483d715a9e5d998773d34f6ba2910f40a551b0f33f6c9f36dbab8b7771b" },
	{ "vectors/tdx-quote/teekit__tdx-v4-gcp.quote.bin", 4, 4299, 4935, 3065, true, 5, 3677, false, 32,
	  6, 0x10000000ull, 0x600e7ull, "08010800000000000000000000000000",
	  NULL, NULL,
	  "bfb360ac8e6233a1bca1433caf7382d95c165b4a77fb00bf1435e5a08f300cdfead5ee68461afd9b6c728dce7534602d",
	  "409c0cd3e63d9ea54d817cf851983a220131262664ac8cd02cc6a2e19fd291d2fdd0cc035d7789b982a43a92a4424c99",
	  { "9d112d1d2c2546d904629cfad72ccfa0096be6b040ea2eec7a0673827633ebdcd7f89c2c355dd6dd4fa811ce0f442d3a",
	    "349c9f4827767091eb5c5efdcea78dca9161a41e5b456b707db39b026273723f63540aadc124124d6f0134030ebedabb",
	    "2a514f6213e05aeac690ea1a4275cdef2af6277d688ff436d0ff7efaf47dc4a4f62a5d91cd2bf5f91838744069d1a0b8",
	    Z48 },
	  "806dfeec9d10c22a60b12751216d75fb358d83088ea72dd07eb49c84de24b8a49d483085c4350e545689955bdd10e1d8b55ef7c6d288a17032acece698e35db8" },
	{ "vectors/tdx-quote/dstack__guest-agent_attestation.quote.bin", 4, 4304, 4940, 70, true, 5, 3682, true, 32,
	  6, 0x10000000ull, 0x602e7ull, "0b010400000000000000000000000000",
	  NULL, NULL,
	  "7bf063280e94fb051f5dd7b1fc59ce9aac42bb961df8d44b709c9b0ff87a7b4df648657ba6d1189589feab1d5a3c9a9d",
	  "e53236d44a074bc78e784cdfa1a2c858a5f6b53afc1b60d8f079662314978b64241b646d8498dd767d5ea48e1e115822",
	  { "6203948b7c12a0c2e14ed9b11170d7b85345870a304bb0959d6c198224ce621fe944e4623af9631cd64eeffdc0d7fa94",
	    "0ea1ad399114c5909c52c8b8c073f0c4e076b691495ca7d41f88c5bba6859e3911973ec95adce1503eb43f4670a2c306",
	    "1c9854088a35a1c44483d6ba5e88333cf6a7f5b5ec26713f722c80dfc2d2b337346d7fb52452eacda0a8a8fb6fd306f1",
	    "f28a1490ee924e9396c2ccf2d93ad536b83cbe159a1d45024d1fd7acdcc102145efcfcd0cfa209416446c70226affadf" },
	  Z64 },
	{ "vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat", 5, 4300, 5006, 0, true, 5, 3678, true, 32,
	  7, 0x10000000ull, 0x602e7ull, "0b010400000000000000000000000000",
	  "0d010400000000000000000000000000", Z48,
	  "7bf063280e94fb051f5dd7b1fc59ce9aac42bb961df8d44b709c9b0ff87a7b4df648657ba6d1189589feab1d5a3c9a9d",
	  "7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc0d21fb001a1ced3ee19747dda8f750c3bc8f876",
	  { "5c8daf76063a71ac8fcef4067564661fc682ed7944c7a5d21dbbced02f61ceff4ba0678c6aef3bdae8cbc614cec24619",
	    "463acaace1b6e97c76e92e41fe312aa66f3fd4dad60ec7acf169859db0343e3d1e591646795cdc80fbc0ca5f7041d253",
	    "6369b9c9a3b791ebcbdc5a0bb9536cfb57f50df2b393b33c8b29616d3568baa61f4b59dc6092e31ea8764bcbdfc69f20",
	    Z48 },
	  "945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289ab9f1e094aed63060cd4a4933a4dd537ed1255c9c79ecb3ed82cd1b486233e31c25c3a" },
	{ "vectors/tdx-quote/dcap-qvl__tdx_quote_outdated.dat", 5, 4300, 5006, 0, true, 5, 3678, true, 32,
	  7, 0x10000000ull, 0x618e7ull, "07010300000000000000000000000000",
	  "0d010300000000000000000000000000", Z48,
	  "49b66faa451d19ebbdbe89371b8daf2b65aa3984ec90110343e9e2eec116af08850fa20e3b1aa9a874d77a65380ee7e6",
	  "273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d5a9b1b4c0ed0e5ae9a3dbd",
	  { Z48,
	    Z48,
	    Z48,
	    Z48 },
	  "d2142b643598eb5fae2bc8529dd79a558b29f868ccbb6531cb28dab9dce477280000000000000000000000000000000000000000000000000000000000000000" },
};
#define NVEC (sizeof(vecs) / sizeof(vecs[0]))

/* ---------------------------------------------------------------- helpers */

/* Offsets of one vector from the spec (formats.md §2.2-§2.6) and the manifest's N. */
struct lay {
	size_t body_off, body_end, sig_off, cert_type, cert_size, cd, n_off, inner_type, inner_m, payload;
	uint32_t S;
};
static struct lay layout(const struct qvec *v)
{
	struct lay l;
	l.body_off = v->version == 4 ? 48 : 54;
	l.body_end = v->version == 4 ? 632 : 54 + 648;
	l.sig_off = l.body_end + 4;
	l.cert_type = l.sig_off + 128;
	l.cert_size = l.sig_off + 130;
	l.cd = l.sig_off + 134;
	l.n_off = l.cd + 448;
	l.inner_type = l.cd + 450 + v->qe_auth_len;
	l.inner_m = l.inner_type + 2;
	l.payload = l.inner_type + 6;
	l.S = v->sig_len - 134;
	return l;
}

static uint8_t *load(const struct qvec *v, size_t *len)
{
	uint8_t *b = tu_read(v->path, len);
	assert_int_equal(*len, v->quote_len + v->trailing);
	return b;
}

/* Parse a copy held in an exact-size heap buffer so ASan sees any over-read. */
static teeabi_err parse_copy(const uint8_t *b, size_t len, unsigned flags, struct teeabi_tdx_quote *q)
{
	uint8_t *c = malloc(len ? len : 1);
	assert_non_null(c);
	if (len)
		memcpy(c, b, len);
	struct teeabi_tdx_quote tmp;
	teeabi_err e = teeabi_tdx_quote_parse(c, len, flags, q ? q : &tmp);
	free(c);
	return e;
}

#define ANY_ERR ((teeabi_err)-1)

static void expect_err(teeabi_err got, teeabi_err want, const char *what, const char *path, size_t off, unsigned val)
{
	bool ok = want == ANY_ERR ? got != TEEABI_OK : got == want;
	if (!ok) {
		print_error("%s: %s @%zu value 0x%x: got %s, expected %s\n", path, what, off, val,
			    teeabi_err_name(got), want == ANY_ERR ? "any error" : teeabi_err_name(want));
		fail();
	}
}

static void put16(uint8_t *b, size_t off, uint16_t v) { teeabi_put_le16(b + off, v); }
static void put32(uint8_t *b, size_t off, uint32_t v) { teeabi_put_le32(b + off, v); }

/* Parse b (len) with flags after the caller mutated it; assert the result. */
static void check_parse(const uint8_t *b, size_t len, unsigned flags, teeabi_err want, const char *what)
{
	struct teeabi_tdx_quote q;
	teeabi_err e = parse_copy(b, len, flags, &q);
	expect_err(e, want, what, "", 0, 0);
}

static const struct qvec *find_vec(const char *suffix)
{
	for (size_t i = 0; i < NVEC; i++)
		if (strstr(vecs[i].path, suffix))
			return &vecs[i];
	fail_msg("no vector %s", suffix);
	return NULL;
}

/* ---------------------------------------------------------------- 1. field values */

static void test_quote_vectors_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		const struct qvec *v = &vecs[i];
		struct lay l = layout(v);
		size_t len;
		uint8_t *b = load(v, &len);
		struct teeabi_tdx_quote q;
		teeabi_err e = teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q);
		if (e != TEEABI_OK)
			fail_msg("%s: %s", v->path, teeabi_err_name(e));
		assert_int_equal(q.version, v->version);
		assert_int_equal(q.att_key_type, 2);
		assert_int_equal(q.tee_type, 0x81);
		assert_int_equal(q.hdr_svn_a, 0); /* all real TDX quotes: 0 (formats.md §2.1) */
		assert_int_equal(q.hdr_svn_b, 0);
		tu_assert_hex(q.qe_vendor_id, 16, INTEL_QE_VENDOR, "qe_vendor_id");
		assert_ptr_equal(q.user_data, b + 28);
		assert_int_equal(q.body_type, v->version == 4 ? TEEABI_QUOTE_BODY_TD10 : TEEABI_QUOTE_BODY_TD15);
		assert_int_equal(q.body_size, v->version == 4 ? 584 : 648);
		assert_int_equal(q.body_offset, l.body_off);
		assert_int_equal(q.signed_len, l.body_end);
		assert_int_equal(q.sig_data_len, v->sig_len);
		assert_int_equal(q.quote_len, v->quote_len);
		assert_int_equal(q.trailing_len, v->trailing);
		assert_int_equal(q.trailing_all_zero, v->trailing_zero);
		assert_int_equal(q.cert_type, 6);
		assert_int_equal(q.cert_size, l.S);
		assert_ptr_equal(q.signature, b + l.sig_off);
		assert_ptr_equal(q.att_key, b + l.sig_off + 64);
		assert_ptr_equal(q.qe_report, b + l.cd);
		assert_ptr_equal(q.qe_report_sig, b + l.cd + 384);
		assert_int_equal(q.qe_auth.len, v->qe_auth_len);
		assert_ptr_equal(q.qe_auth.p, b + l.cd + 450);
		assert_int_equal(q.inner_cert_type, v->inner_type);
		assert_int_equal(q.inner_cert.len, v->m);
		assert_ptr_equal(q.inner_cert.p, b + l.payload);
		assert_memory_equal(q.inner_cert.p, "-----BEGIN CERTIFICATE-----", 27);
		assert_int_equal(q.inner_cert.p[v->m - 1] == 0, v->nul);
		assert_int_equal(!!(q.warnings & TEEABI_W_QUOTE_PEM_NUL), v->nul);
		assert_int_equal(!!(q.warnings & TEEABI_W_QUOTE_TRAILING), v->trailing > 0);
		assert_int_equal(!!(q.warnings & TEEABI_W_QUOTE_TRAILING_NZ), !v->trailing_zero);
		assert_false(q.warnings & (TEEABI_W_QUOTE_QE_VENDOR | TEEABI_W_QE_RESERVED |
					   TEEABI_W_QUOTE_SEAM_ATTR | TEEABI_W_QUOTE_CERTSIZE_SLACK));
		/* QE report (§3 table of real TD-QE values) */
		assert_int_equal(q.qe.isv_svn, v->qe_isvsvn);
		assert_int_equal(q.qe.isv_prod_id, 2);
		assert_int_equal(q.qe.misc_select, 0);
		tu_assert_hex(q.qe.mr_signer, 32, QE_MR_SIGNER, "qe mr_signer");
		tu_assert_hex(q.qe.attributes, 16, QE_ATTRIBUTES, "qe attributes");
		assert_ptr_equal(q.qe.report_data, b + l.cd + 320);
		/* body */
		tu_assert_hex(q.td.tee_tcb_svn, 16, v->tee_tcb_svn, "tee_tcb_svn");
		tu_assert_hex(q.td.mrseam, 48, v->mrseam, "mrseam");
		tu_assert_hex(q.td.mrtd, 48, v->mrtd, "mrtd");
		for (int r = 0; r < 4; r++)
			tu_assert_hex(q.td.rtmr[r], 48, v->rtmr[r], "rtmr");
		tu_assert_hex(q.td.report_data, 64, v->report_data, "report_data");
		assert_int_equal(q.td.td_attributes, v->td_attr);
		assert_int_equal(q.td.xfam, v->xfam);
		assert_int_equal(q.td.seam_attributes, 0);
		assert_ptr_equal(q.td.mrsignerseam, b + l.body_off + 64);
		tu_assert_hex(q.td.mrsignerseam, 48, Z48, "mrsignerseam (0 for Intel modules)");
		assert_ptr_equal(q.td.mrconfigid, b + l.body_off + 184);
		assert_ptr_equal(q.td.mrowner, b + l.body_off + 232);
		assert_ptr_equal(q.td.mrownerconfig, b + l.body_off + 280);
		if (v->tee_tcb_svn2) {
			assert_non_null(q.td.tee_tcb_svn2);
			tu_assert_hex(q.td.tee_tcb_svn2, 16, v->tee_tcb_svn2, "tee_tcb_svn2");
			assert_non_null(q.td.mr_servicetd);
			tu_assert_hex(q.td.mr_servicetd, 48, v->mr_servicetd, "mr_servicetd");
		} else {
			assert_null(q.td.tee_tcb_svn2);
			assert_null(q.td.mr_servicetd);
		}
		/* strict modes: every vector has Intel's vendor id; only non-zero trailing bytes fail */
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_VENDOR, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q),
				 v->trailing_zero ? TEEABI_OK : TEEABI_E_QUOTE_TRAILING);
		/* the quote without its trailing bytes parses the same, with no trailing warning */
		assert_int_equal(parse_copy(b, v->quote_len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q), TEEABI_OK);
		assert_int_equal(q.trailing_len, 0);
		assert_false(q.warnings & (TEEABI_W_QUOTE_TRAILING | TEEABI_W_QUOTE_TRAILING_NZ));
		free(b);
	}
}

/* ---------------------------------------------------------------- 2. crypto */

static void test_quote_vectors_crypto(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		const struct qvec *v = &vecs[i];
		struct lay l = layout(v);
		size_t len;
		uint8_t *b = load(v, &len);
		struct teeabi_tdx_quote q;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_OK);
		teeabi_err e = teeabi_tdx_quote_verify_qe_report_sig(&q);
		if (e != TEEABI_OK)
			fail_msg("%s: qe report sig %s", v->path, teeabi_err_name(e));

		/* a flipped body byte (mrtd[0]), header byte (user_data) or last signed byte breaks the quote signature */
		const size_t flips[] = { l.body_off + 136, 28, l.body_end - 1, l.sig_off + 5 /* r */, l.sig_off + 40 /* s */ };
		for (size_t f = 0; f < sizeof(flips) / sizeof(flips[0]); f++) {
			b[flips[f]] ^= 0x01;
			assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
			e = teeabi_tdx_quote_verify_signature(b, &q);
			if (e != TEEABI_E_SIG_INVALID)
				fail_msg("%s: flip @%zu: %s", v->path, flips[f], teeabi_err_name(e));
			b[flips[f]] ^= 0x01;
		}
		/* a flipped key coordinate is not a curve point */
		b[l.sig_off + 64 + 63] ^= 0x01;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_KEY_INVALID);
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_E_QE_BINDING);
		b[l.sig_off + 64 + 63] ^= 0x01;

		/* QE auth data byte: binding fails, the QE report signature still holds */
		b[l.cd + 450] ^= 0x80;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_E_QE_BINDING);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_OK);
		b[l.cd + 450] ^= 0x80;

		/* upper half of QE report_data must be zero */
		b[l.cd + 320 + 40] ^= 0x01;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_E_QE_BINDING);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_SIG_INVALID);
		b[l.cd + 320 + 40] ^= 0x01;

		/* QE report byte (isv_svn) and QE report signature byte */
		b[l.cd + 258] ^= 0x01;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_SIG_INVALID);
		b[l.cd + 258] ^= 0x01;
		b[l.cd + 384 + 10] ^= 0x01;
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_SIG_INVALID);
		b[l.cd + 384 + 10] ^= 0x01;

		/* a broken base64 character in the leaf certificate: the chain is unusable */
		uint8_t saved = b[l.payload + 100];
		b[l.payload + 100] = '*';
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_CERT_PARSE);
		b[l.payload + 100] = saved;

		/* back to the original: all three pass again */
		assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_OK);
		free(b);
	}
}

/* Degenerate key and signature values are rejected, not crashed on. */
static void test_quote_crypto_degenerate_values(void **state)
{
	(void)state;
	const struct qvec *v = find_vec("trustee__tdx_quote_4.dat");
	struct lay l = layout(v);
	size_t len;
	uint8_t *b = load(v, &len);
	struct teeabi_tdx_quote q;
	uint8_t saved[128];
	memcpy(saved, b + l.sig_off, 128);
	memset(b + l.sig_off, 0, 32); /* r = 0 */
	assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_SIG_INVALID);
	memset(b + l.sig_off, 0xff, 64); /* r, s >= group order */
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_SIG_INVALID);
	memcpy(b + l.sig_off, saved, 128);
	memset(b + l.sig_off + 64, 0, 64); /* the point (0, 0) */
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_KEY_INVALID);
	memset(b + l.sig_off + 64, 0xff, 64); /* coordinates >= p */
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_KEY_INVALID);
	memcpy(b + l.sig_off, saved, 128);
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_OK);
	/* QE report signature r = 0 */
	memset(b + l.cd + 384, 0, 32);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_SIG_INVALID);
	free(b);
}

/* Random multi-byte corruption anywhere (fixed seed): the parser never crashes (ASan/UBSan),
 * and whenever it accepts, every slice lies inside the buffer and the lengths add up; the
 * crypto checks then run on the hostile input too. */
static void test_quote_random_mutations(void **state)
{
	(void)state;
	uint32_t seed = 0x7d5c0001u;
	size_t accepted = 0;
	for (size_t i = 0; i < NVEC; i++) {
		size_t len;
		uint8_t *b = load(&vecs[i], &len);
		uint8_t *c = malloc(len);
		for (int round = 0; round < 300; round++) {
			memcpy(c, b, len);
			int nmut = 1 + round % 4;
			for (int k = 0; k < nmut; k++) {
				seed = seed * 1664525u + 1013904223u;
				size_t off = (seed >> 8) % len;
				seed = seed * 1664525u + 1013904223u;
				c[off] = (uint8_t)(seed >> 24);
			}
			seed = seed * 1664525u + 1013904223u;
			size_t L = (round & 1) ? len : (seed >> 8) % (len + 1);
			uint8_t *d = malloc(L ? L : 1);
			memcpy(d, c, L);
			struct teeabi_tdx_quote q;
			teeabi_err e = teeabi_tdx_quote_parse(d, L, 0, &q);
			assert_true((unsigned)e < TEEABI_ERR_COUNT);
			if (e == TEEABI_OK) {
				accepted++;
				assert_int_equal(q.quote_len + q.trailing_len, L);
				assert_int_equal(q.quote_len, q.signed_len + 4 + q.sig_data_len);
				assert_true(q.inner_cert.p + q.inner_cert.len <= d + q.quote_len);
				assert_true(q.qe_auth.p + q.qe_auth.len <= q.inner_cert.p);
				(void)teeabi_tdx_quote_verify_signature(d, &q);
				(void)teeabi_tdx_quote_verify_qe_binding(&q);
				(void)teeabi_tdx_quote_verify_qe_report_sig(&q);
			}
			free(d);
		}
		free(c);
		free(b);
	}
	assert_true(accepted > 0); /* the invariants were actually exercised */
}

static void test_quote_crypto_null_args(void **state)
{
	(void)state;
	struct teeabi_tdx_quote q;
	memset(&q, 0, sizeof(q));
	assert_int_equal(teeabi_tdx_quote_verify_signature(NULL, &q), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_verify_signature((const uint8_t *)"x", &q), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_verify_qe_binding(NULL), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(NULL), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_parse(NULL, 10, 0, &q), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdx_quote_parse((const uint8_t *)"x", 1, 0, NULL), TEEABI_E_NULL);
}

/* ---------------------------------------------------------------- quote builder */

/* Assemble a quote from parts (formats.md §2.2-§2.6). Returns the length. */
struct parts {
	unsigned version;          /* 4 or 5 */
	uint32_t tee_type;
	uint16_t body_type;        /* v5 */
	const uint8_t *hdr;        /* 48 bytes (version/tee_type overwritten) */
	const uint8_t *body;       /* body_size bytes */
	uint32_t body_size;
	const uint8_t *sig_key;    /* 128 bytes r||s||X||Y */
	const uint8_t *qe;         /* 448 bytes QE report + signature */
	const uint8_t *auth; uint16_t n;
	uint16_t inner_type;
	const uint8_t *payload; uint32_t m;
};
static size_t build(uint8_t *out, size_t cap, const struct parts *p)
{
	size_t need = 48 + (p->version == 5 ? 6 : 0) + p->body_size + 4 + 134 + 450 + p->n + 6 + p->m;
	assert_true(need <= cap);
	size_t o = 0;
	memcpy(out, p->hdr, 48);
	put16(out, 0, (uint16_t)p->version);
	put32(out, 4, p->tee_type);
	o = 48;
	if (p->version == 5) {
		put16(out, o, p->body_type);
		put32(out, o + 2, p->body_size);
		o += 6;
	}
	memcpy(out + o, p->body, p->body_size);
	o += p->body_size;
	uint32_t S = 450 + p->n + 6 + p->m;
	put32(out, o, S + 134);
	o += 4;
	memcpy(out + o, p->sig_key, 128);
	put16(out, o + 128, 6);
	put32(out, o + 130, S);
	o += 134;
	memcpy(out + o, p->qe, 448);
	put16(out, o + 448, p->n);
	o += 450;
	if (p->n)
		memcpy(out + o, p->auth, p->n);
	o += p->n;
	put16(out, o, p->inner_type);
	put32(out, o + 2, p->m);
	o += 6;
	if (p->m)
		memcpy(out + o, p->payload, p->m);
	o += p->m;
	assert_int_equal(o, need);
	return o;
}

/* parts taken from the trustee v4 vector */
static uint8_t *base_parts(struct parts *p, size_t *vlen)
{
	const struct qvec *v = find_vec("trustee__tdx_quote_4.dat");
	struct lay l = layout(v);
	uint8_t *b = load(v, vlen);
	memset(p, 0, sizeof(*p));
	p->version = 4;
	p->tee_type = 0x81;
	p->hdr = b;
	p->body = b + 48;
	p->body_size = 584;
	p->sig_key = b + l.sig_off;
	p->qe = b + l.cd;
	p->auth = b + l.cd + 450;
	p->n = (uint16_t)v->qe_auth_len;
	p->inner_type = 5;
	p->payload = b + l.payload;
	p->m = v->m;
	return b;
}

/* A DER leaf under inner type 5 (as in Intel's synthetic sample): the QE report signature
 * still verifies, and since the signed range excludes the signature data, so does the quote. */
static void test_quote_der_inner_chain(void **state)
{
	(void)state;
	struct parts p;
	size_t vlen;
	uint8_t *b = base_parts(&p, &vlen);
	BIO *bio = BIO_new_mem_buf(p.payload, (int)p.m);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	assert_non_null(x);
	unsigned char *der = NULL;
	int dl = i2d_X509(x, &der);
	assert_true(dl > 100);
	p.payload = der;
	p.m = (uint32_t)dl;
	uint8_t *out = malloc(8192);
	size_t n = build(out, 8192, &p);
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(q.inner_cert.len, (size_t)dl);
	assert_int_equal(q.inner_cert.p[0], 0x30);
	assert_false(q.warnings & TEEABI_W_QUOTE_PEM_NUL);
	assert_int_equal(teeabi_tdx_quote_verify_signature(out, &q), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&q), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_OK);
	/* a truncated DER certificate is unusable */
	q.inner_cert.len = (size_t)dl - 1;
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_CERT_PARSE);
	/* non-type-5 inner data has no certificate to verify with */
	put16(out, n - dl - 6, 4);
	assert_int_equal(teeabi_tdx_quote_parse(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(q.inner_cert_type, 4);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&q), TEEABI_E_CERT_PARSE);
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(bio);
	free(out);
	free(b);
}

/* Structural minimum sizes (formats.md §2.9): v4 1226, v5 TD10 1232, v5 TD15 1296, with N = M = 0.
 * One byte less is rejected. Also an SGX (type 1) v5 body with tee_type 0. */
static void test_quote_minimum_sizes(void **state)
{
	(void)state;
	struct parts p;
	size_t vlen;
	uint8_t *b = base_parts(&p, &vlen);
	uint8_t body[648] = { 0 };
	memcpy(body, p.body, 584);
	p.body = body;
	p.n = 0;
	p.m = 0;
	uint8_t out[2048];
	struct teeabi_tdx_quote q;
	const struct { unsigned ver; uint16_t type; uint32_t size; uint32_t tee; size_t want; } cases[] = {
		{ 4, 0, 584, 0x81, 1226 }, { 5, 2, 584, 0x81, 1232 }, { 5, 3, 648, 0x81, 1296 },
		{ 5, 1, 384, 0, 48 + 6 + 384 + 4 + 134 + 456 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.version = cases[i].ver;
		p.body_type = cases[i].type;
		p.body_size = cases[i].size;
		p.tee_type = cases[i].tee;
		size_t n = build(out, sizeof(out), &p);
		assert_int_equal(n, cases[i].want);
		assert_int_equal(parse_copy(out, n, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, NULL), TEEABI_OK);
		assert_int_not_equal(parse_copy(out, n - 1, TEEABI_QUOTE_DEFAULT, NULL), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_parse(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		assert_int_equal(q.quote_len, n);
		assert_int_equal(q.trailing_len, 0);
		assert_int_equal(q.qe_auth.len, 0);
		assert_int_equal(q.inner_cert.len, 0);
		assert_int_equal(q.body_type, cases[i].ver == 4 ? TEEABI_QUOTE_BODY_TD10 : cases[i].type);
		assert_int_equal(q.signed_len, (cases[i].ver == 4 ? 48 : 54) + cases[i].size);
		if (cases[i].type == 1) {
			/* SGX body: exposed as an SGX report view at 54 (§3 offsets), no TD view */
			assert_ptr_equal(q.sgx.mr_enclave, out + 54 + 64);
			assert_ptr_equal(q.sgx.report_data, out + 54 + 320);
			assert_null(q.td.mrtd);
		} else {
			tu_assert_hex(q.td.mrtd, 48, find_vec("trustee__tdx_quote_4.dat")->mrtd, "mrtd");
			if (cases[i].type == 3)
				assert_non_null(q.td.tee_tcb_svn2);
			else
				assert_null(q.td.tee_tcb_svn2);
		}
		/* the quote signature does not verify over a rebuilt quote (different signed range) */
		if (cases[i].ver == 5)
			assert_int_equal(teeabi_tdx_quote_verify_signature(out, &q), TEEABI_E_SIG_INVALID);
		else
			assert_int_equal(teeabi_tdx_quote_verify_signature(out, &q), TEEABI_OK);
	}
	free(b);
}

/* ---------------------------------------------------------------- 3a. truncated prefixes */

/* The first check a prefix of length L fails, from formats.md §2.10 alone. */
static teeabi_err prefix_err(unsigned version, size_t L)
{
	if (L < 48)
		return TEEABI_E_QUOTE_HEADER_SHORT;
	if (version == 5 && L < 54)
		return TEEABI_E_QUOTE_DESC_SHORT;
	size_t body_end = version == 4 ? 632 : 702;
	if (L < body_end)
		return TEEABI_E_QUOTE_BODY_SHORT;
	if (L < body_end + 4)
		return TEEABI_E_QUOTE_SIGLEN_SHORT;
	return TEEABI_E_QUOTE_SIGLEN_BOUNDS;
}

static void test_quote_truncated_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		const struct qvec *v = &vecs[i];
		size_t len;
		uint8_t *b = load(v, &len);
		for (size_t L = 0; L < v->quote_len; L++) {
			teeabi_err e = parse_copy(b, L, TEEABI_QUOTE_DEFAULT, NULL);
			expect_err(e, prefix_err(v->version, L), "prefix", v->path, L, 0);
			/* lenient flags change nothing for prefixes */
			e = parse_copy(b, L, 0, NULL);
			expect_err(e, prefix_err(v->version, L), "prefix (flags 0)", v->path, L, 0);
		}
		assert_int_equal(parse_copy(b, v->quote_len, TEEABI_QUOTE_DEFAULT, NULL), TEEABI_OK);
		free(b);
	}
}

/* ---------------------------------------------------------------- 3b. length/type field corruption */

/* Expected result of parsing a vector whose field at `off` now reads as value `val`
 * (everything else untouched), derived from formats.md §2.10. `m` is the mutated buffer. */
enum field { F_VERSION, F_AKT, F_TEE, F_BTYPE, F_BSIZE, F_SIGLEN, F_CTYPE, F_CSIZE, F_QEAUTH, F_ITYPE, F_ISIZE };
static const char *const fname[] = { "version", "att_key_type", "tee_type", "v5 body type", "v5 body size",
	"sig_data_len", "cert type", "cert size", "qe auth len", "inner type", "inner size" };

/* first failing check of the certification data tail when S/N are as given (M, type read from m) */
static teeabi_err tail_err(const uint8_t *m, const struct lay *l, uint64_t S, uint64_t N)
{
	if (S < 450)
		return TEEABI_E_QUOTE_QE_SHORT;
	if (N > S - 450)
		return TEEABI_E_QUOTE_QE_AUTH_LEN;
	if (S - 450 - N < 6)
		return TEEABI_E_QUOTE_INNER_SHORT;
	size_t it = l->cd + 450 + (size_t)N;
	uint16_t t = teeabi_le16(m + it);
	if (t < 1 || t > 5)
		return TEEABI_E_QUOTE_INNER_TYPE;
	if (456 + N + teeabi_le32(m + it + 2) != S)
		return TEEABI_E_QUOTE_INNER_SIZE;
	return TEEABI_OK;
}

static teeabi_err field_expect(enum field f, const struct qvec *v, const struct lay *l, const uint8_t *m,
			       size_t len, unsigned flags)
{
	switch (f) {
	case F_VERSION: {
		uint16_t ver = teeabi_le16(m);
		if (ver != 4 && ver != 5)
			return TEEABI_E_QUOTE_VERSION;
		return ver == v->version ? TEEABI_OK : ANY_ERR; /* 4<->5 reinterprets the bytes */
	}
	case F_AKT:
		return teeabi_le16(m + 2) == 2 ? TEEABI_OK : TEEABI_E_QUOTE_ATT_KEY_TYPE;
	case F_TEE: {
		uint32_t t = teeabi_le32(m + 4);
		if (t == 0x81)
			return TEEABI_OK;
		return t == 0 ? TEEABI_E_QUOTE_TEE_BODY : TEEABI_E_QUOTE_TEE_TYPE;
	}
	case F_BTYPE: {
		uint16_t t = teeabi_le16(m + 48);
		if (t == 3)
			return TEEABI_OK;
		return (t == 1 || t == 2) ? TEEABI_E_QUOTE_BODY_SIZE : TEEABI_E_QUOTE_BODY_TYPE;
	}
	case F_BSIZE:
		return teeabi_le32(m + 50) == 648 ? TEEABI_OK : TEEABI_E_QUOTE_BODY_SIZE;
	case F_SIGLEN: {
		uint64_t s = teeabi_le32(m + l->body_end);
		if (l->sig_off + s > len)
			return TEEABI_E_QUOTE_SIGLEN_BOUNDS;
		if (s < 134)
			return TEEABI_E_QUOTE_SIGDATA_SHORT;
		if (l->S + 134 > s || ((flags & TEEABI_QUOTE_STRICT_CERTSIZE) && l->S + 134 != s))
			return TEEABI_E_QUOTE_CERT_SIZE;
		return TEEABI_OK;
	}
	case F_CTYPE:
		return teeabi_le16(m + l->cert_type) == 6 ? TEEABI_OK : TEEABI_E_QUOTE_CERT_TYPE;
	case F_CSIZE: {
		uint64_t S = teeabi_le32(m + l->cert_size);
		if (S + 134 > v->sig_len || ((flags & TEEABI_QUOTE_STRICT_CERTSIZE) && S + 134 != v->sig_len))
			return TEEABI_E_QUOTE_CERT_SIZE;
		return tail_err(m, l, S, v->qe_auth_len);
	}
	case F_QEAUTH:
		return tail_err(m, l, l->S, teeabi_le16(m + l->n_off));
	case F_ITYPE: {
		uint16_t t = teeabi_le16(m + l->inner_type);
		return (t >= 1 && t <= 5) ? TEEABI_OK : TEEABI_E_QUOTE_INNER_TYPE;
	}
	case F_ISIZE:
		return teeabi_le32(m + l->inner_m) == v->m ? TEEABI_OK : TEEABI_E_QUOTE_INNER_SIZE;
	}
	return ANY_ERR;
}

static void test_quote_field_corruption(void **state)
{
	(void)state;
	size_t tried = 0, accepted = 0;
	for (size_t i = 0; i < NVEC; i++) {
		const struct qvec *v = &vecs[i];
		struct lay l = layout(v);
		size_t len;
		uint8_t *b = load(v, &len);
		const struct { enum field f; size_t off, width; } fl[] = {
			{ F_VERSION, 0, 2 }, { F_AKT, 2, 2 }, { F_TEE, 4, 4 },
			{ F_BTYPE, 48, v->version == 5 ? 2 : 0 }, { F_BSIZE, 50, v->version == 5 ? 4 : 0 },
			{ F_SIGLEN, l.body_end, 4 }, { F_CTYPE, l.cert_type, 2 }, { F_CSIZE, l.cert_size, 4 },
			{ F_QEAUTH, l.n_off, 2 }, { F_ITYPE, l.inner_type, 2 }, { F_ISIZE, l.inner_m, 4 },
		};
		const unsigned flagsets[] = { TEEABI_QUOTE_DEFAULT, 0 };
		for (size_t k = 0; k < sizeof(fl) / sizeof(fl[0]); k++) {
			for (size_t byte = 0; byte < fl[k].width; byte++) {
				size_t off = fl[k].off + byte;
				uint8_t old = b[off];
				const uint8_t vals[] = { (uint8_t)(old + 1), (uint8_t)(old - 1), 0x00, 0xff, (uint8_t)(old ^ 0x80) };
				for (size_t x = 0; x < sizeof(vals); x++) {
					if (vals[x] == old)
						continue;
					b[off] = vals[x];
					for (size_t fs = 0; fs < 2; fs++) {
						teeabi_err want = field_expect(fl[k].f, v, &l, b, len, flagsets[fs]);
						teeabi_err got = parse_copy(b, len, flagsets[fs], NULL);
						char what[64];
						snprintf(what, sizeof(what), "%s byte %zu flags %u", fname[fl[k].f], byte, flagsets[fs]);
						expect_err(got, want, what, v->path, off, vals[x]);
						tried++;
						accepted += got == TEEABI_OK;
					}
					b[off] = old;
				}
			}
		}
		/* the trailing bytes are free: changing them never fails the default parse */
		if (v->trailing) {
			uint8_t old = b[len - 1];
			b[len - 1] = old ? 0 : 0x55;
			struct teeabi_tdx_quote q;
			bool nz_after = !teeabi_all_zero(b + v->quote_len, v->trailing);
			assert_int_equal(parse_copy(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
			assert_int_equal(q.trailing_all_zero, !nz_after);
			assert_int_equal(!!(q.warnings & TEEABI_W_QUOTE_TRAILING_NZ), nz_after);
			assert_int_equal(parse_copy(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, NULL),
					 nz_after ? TEEABI_E_QUOTE_TRAILING : TEEABI_OK);
			b[len - 1] = old;
		}
		free(b);
	}
	/* sanity: the sweep really ran, and most mutations are rejections */
	assert_true(tried > 1000);
	assert_true(accepted < tried / 4);
}

/* ---------------------------------------------------------------- 4. one test per strict check */

static uint8_t *vec_copy(const char *suffix, size_t *len, struct lay *l, const struct qvec **vp)
{
	const struct qvec *v = find_vec(suffix);
	*l = layout(v);
	if (vp)
		*vp = v;
	return load(v, len);
}
#define V4 "trustee__tdx_quote_4.dat"          /* exact length, no trailing bytes */
#define V5 "go-tdx-guest__quote_v5_sample.dat" /* v5, exact length */

static void test_quote_E_QUOTE_HEADER_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	check_parse(b, 47, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_HEADER_SHORT, "47 bytes");
	check_parse(b, 0, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_HEADER_SHORT, "empty");
	free(b);
}

static void test_quote_E_QUOTE_VERSION(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	const uint16_t bad[] = { 3, 6, 0, 0x0104, 0xffff };
	for (size_t i = 0; i < 5; i++) {
		put16(b, 0, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_VERSION, "version");
		check_parse(b, 48, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_VERSION, "version, header only");
	}
	free(b);
}

static void test_quote_E_QUOTE_ATT_KEY_TYPE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V5, &len, &l, NULL);
	put16(b, 2, 3); /* P-384: defined, unsupported */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_ATT_KEY_TYPE, "att_key_type 3");
	free(b);
}

static void test_quote_E_QUOTE_TEE_TYPE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	put32(b, 4, 0x80);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_TEE_TYPE, "tee_type 0x80");
	put32(b, 4, 0x81000000); /* big-endian 0x81 */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_TEE_TYPE, "tee_type BE");
	free(b);
}

static void test_quote_E_QUOTE_DESC_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V5, &len, &l, NULL);
	check_parse(b, 53, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_DESC_SHORT, "v5 53 bytes");
	check_parse(b, 48, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_DESC_SHORT, "v5 48 bytes");
	free(b);
}

static void test_quote_E_QUOTE_BODY_TYPE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V5, &len, &l, NULL);
	const uint16_t bad[] = { 0, 4, 0x0300, 0xffff };
	for (size_t i = 0; i < 4; i++) {
		put16(b, 48, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_TYPE, "body type");
		check_parse(b, 54, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_TYPE, "body type, descriptor only");
	}
	free(b);
}

static void test_quote_E_QUOTE_BODY_SIZE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V5, &len, &l, NULL);
	const uint32_t bad[] = { 0, 584, 647, 649, 999, 0xffffffffu };
	for (size_t i = 0; i < 6; i++) {
		put32(b, 50, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SIZE, "body size");
	}
	free(b);
}

static void test_quote_E_QUOTE_TEE_BODY(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	put32(b, 4, 0); /* SGX tee_type with a (v4) TD body */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_TEE_BODY, "v4 tee_type 0");
	free(b);
	b = vec_copy(V5, &len, &l, NULL);
	put32(b, 4, 0); /* SGX tee_type with a TD15 body */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_TEE_BODY, "v5 TD15 tee_type 0");
	free(b);
	/* TDX tee_type with an SGX body; the same quote with tee_type 0 is fine */
	struct parts p;
	b = base_parts(&p, &len);
	uint8_t out[8192];
	p.version = 5;
	p.body_type = 1;
	p.body_size = 384;
	p.tee_type = 0x81;
	size_t n = build(out, sizeof(out), &p);
	check_parse(out, n, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_TEE_BODY, "v5 SGX body tee_type 0x81");
	put32(out, 4, 0);
	check_parse(out, n, TEEABI_QUOTE_DEFAULT, TEEABI_OK, "v5 SGX body tee_type 0");
	free(b);
}

static void test_quote_E_QUOTE_BODY_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	check_parse(b, 631, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SHORT, "v4 631");
	check_parse(b, 48, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SHORT, "v4 48");
	free(b);
	b = vec_copy(V5, &len, &l, NULL);
	check_parse(b, 701, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SHORT, "v5 701");
	check_parse(b, 54, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SHORT, "v5 54");
	free(b);
}

static void test_quote_E_QUOTE_SIGLEN_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	for (size_t L = 632; L < 636; L++)
		check_parse(b, L, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGLEN_SHORT, "v4 sig_data_len cut");
	free(b);
}

static void test_quote_E_QUOTE_SIGLEN_BOUNDS(void **state)
{
	(void)state;
	size_t len; struct lay l; const struct qvec *v;
	uint8_t *b = vec_copy(V4, &len, &l, &v);
	put32(b, l.body_end, v->sig_len + 1); /* one past the end of an exact-length quote */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGLEN_BOUNDS, "sig_len + 1");
	put32(b, l.body_end, 0xffffffffu); /* would wrap a 32-bit sum */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGLEN_BOUNDS, "sig_len max");
	put32(b, l.body_end, 0xffffffffu - 635);
	check_parse(b, len, 0, TEEABI_E_QUOTE_SIGLEN_BOUNDS, "sig_len max - 635");
	free(b);
}

static void test_quote_E_QUOTE_SIGDATA_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	put32(b, l.body_end, 133);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGDATA_SHORT, "sig_len 133");
	check_parse(b, l.sig_off + 133, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGDATA_SHORT, "sig_len 133 exact");
	put32(b, l.body_end, 0);
	check_parse(b, l.sig_off, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_SIGDATA_SHORT, "sig_len 0 exact");
	free(b);
}

static void test_quote_E_QUOTE_CERT_TYPE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	const uint16_t bad[] = { 5, 7, 0, 0x0600 };
	for (size_t i = 0; i < 4; i++) {
		put16(b, l.cert_type, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_CERT_TYPE, "cert type");
	}
	/* §2.10 step 4 checks the outer type before S: a wrong type with an oversized S is
	 * reported as the type, in both modes */
	put16(b, l.cert_type, 5);
	put32(b, l.cert_size, l.S + 1);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_CERT_TYPE, "cert type before S + 1");
	check_parse(b, len, 0, TEEABI_E_QUOTE_CERT_TYPE, "cert type before S + 1, lenient");
	put32(b, l.cert_size, 0xffffffffu);
	check_parse(b, len, 0, TEEABI_E_QUOTE_CERT_TYPE, "cert type before S max");
	free(b);
}

static void test_quote_E_QUOTE_CERT_SIZE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	put32(b, l.cert_size, l.S + 1); /* S + 134 > sig_data_len: always rejected */
	check_parse(b, len, 0, TEEABI_E_QUOTE_CERT_SIZE, "S + 1 lenient");
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_CERT_SIZE, "S + 1 strict");
	put32(b, l.cert_size, 0xffffffffu); /* S + 134 wraps in 32 bits */
	check_parse(b, len, 0, TEEABI_E_QUOTE_CERT_SIZE, "S max lenient");
	put32(b, l.cert_size, 0xffffffffu - 133);
	check_parse(b, len, 0, TEEABI_E_QUOTE_CERT_SIZE, "S max - 133 lenient");
	put32(b, l.cert_size, l.S - 1); /* S + 134 < sig_data_len: strict only */
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_CERT_SIZE, "S - 1 strict");
	free(b);

	/* lenient mode accepts slack after the certification data (QVL behaviour) and warns */
	struct parts p;
	b = base_parts(&p, &len);
	uint8_t out[8192];
	size_t n = build(out, sizeof(out), &p);
	put32(out, 632, teeabi_le32(out + 632) + 10);
	memset(out + n, 0, 10);
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(out, n + 10, 0, &q), TEEABI_OK);
	assert_true(q.warnings & TEEABI_W_QUOTE_CERTSIZE_SLACK);
	assert_int_equal(q.quote_len, n + 10);
	assert_int_equal(teeabi_tdx_quote_parse(out, n + 10, TEEABI_QUOTE_DEFAULT, &q), TEEABI_E_QUOTE_CERT_SIZE);
	free(b);
}

static void test_quote_E_QUOTE_QE_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	/* S = 449 with a matching signature_data_len (strict holds); rest becomes trailing data */
	put32(b, l.body_end, 449 + 134);
	put32(b, l.cert_size, 449);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_QE_SHORT, "S 449");
	put32(b, l.body_end, 134);
	put32(b, l.cert_size, 0);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_QE_SHORT, "S 0");
	free(b);
}

static void test_quote_E_QUOTE_QE_AUTH_LEN(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	put16(b, l.n_off, (uint16_t)(l.S - 450 + 1));
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_QE_AUTH_LEN, "N = S-449");
	put16(b, l.n_off, 0xffff);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_QE_AUTH_LEN, "N max");
	free(b);
}

static void test_quote_E_QUOTE_INNER_SHORT(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	for (unsigned room = 0; room < 6; room++) {
		put16(b, l.n_off, (uint16_t)(l.S - 450 - room));
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_INNER_SHORT, "room < 6");
	}
	free(b);
}

static void test_quote_E_QUOTE_INNER_TYPE(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	const uint16_t bad[] = { 0, 6, 7, 0x0500, 0xffff };
	for (size_t i = 0; i < 5; i++) {
		put16(b, l.inner_type, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_INNER_TYPE, "inner type");
	}
	for (uint16_t t = 1; t <= 5; t++) { /* 1..5 are all allowed (Intel QVL) */
		put16(b, l.inner_type, t);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_OK, "inner type 1..5");
	}
	free(b);
}

static void test_quote_E_QUOTE_INNER_SIZE(void **state)
{
	(void)state;
	size_t len; struct lay l; const struct qvec *v;
	uint8_t *b = vec_copy(V4, &len, &l, &v);
	const uint32_t bad[] = { v->m + 1, v->m - 1, 0, 0xffffffffu, 0xffffffffu - 455 };
	for (size_t i = 0; i < 5; i++) {
		put32(b, l.inner_m, bad[i]);
		check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_INNER_SIZE, "inner size");
		check_parse(b, len, 0, TEEABI_E_QUOTE_INNER_SIZE, "inner size lenient");
	}
	free(b);
}

static void test_quote_E_QUOTE_QE_VENDOR(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	b[12 + 15] ^= 0x01;
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_true(q.warnings & TEEABI_W_QUOTE_QE_VENDOR);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_VENDOR, TEEABI_E_QUOTE_QE_VENDOR, "vendor strict");
	/* the vendor id is signed: the quote signature no longer verifies */
	assert_int_equal(teeabi_tdx_quote_verify_signature(b, &q), TEEABI_E_SIG_INVALID);
	free(b);
}

static void test_quote_E_QUOTE_TRAILING(void **state)
{
	(void)state;
	size_t len; struct lay l; const struct qvec *v;
	uint8_t *b = vec_copy("tdx_prod_quote_SPR_E4.dat", &len, &l, &v);
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q),
			 TEEABI_E_QUOTE_TRAILING);
	/* the appended text of go-tdx-guest (MANIFEST quirk) */
	assert_memory_equal(b + v->quote_len, "\nextra bytes(only for testing purpose)\n", 39);
	free(b);
	/* exact-length quote plus one non-zero byte */
	b = vec_copy(V4, &len, &l, &v);
	uint8_t *c = malloc(len + 1);
	memcpy(c, b, len);
	c[len] = 0x01;
	assert_int_equal(teeabi_tdx_quote_parse(c, len + 1, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q),
			 TEEABI_E_QUOTE_TRAILING);
	assert_int_equal(teeabi_tdx_quote_parse(c, len + 1, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(q.trailing_len, 1);
	assert_false(q.trailing_all_zero);
	assert_true(q.warnings & TEEABI_W_QUOTE_TRAILING_NZ);
	c[len] = 0;
	assert_int_equal(teeabi_tdx_quote_parse(c, len + 1, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_TRAILING, &q), TEEABI_OK);
	assert_true(q.trailing_all_zero);
	assert_true(q.warnings & TEEABI_W_QUOTE_TRAILING);
	assert_false(q.warnings & TEEABI_W_QUOTE_TRAILING_NZ);
	free(c);
	free(b);
}

/* Warnings that do not reject: seam_attributes, QE report reserved fields. */
static void test_quote_warnings_seam_and_qe_reserved(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	struct teeabi_tdx_quote q;
	b[l.body_off + 112] = 1;  /* seam_attributes */
	b[l.cd + 100] = 1;        /* QE report reserved2 */
	assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(q.td.seam_attributes, 1);
	assert_true(q.warnings & TEEABI_W_QUOTE_SEAM_ATTR);
	assert_true(q.warnings & TEEABI_W_QE_RESERVED);
	assert_true(q.qe.warnings & TEEABI_W_QE_RESERVED);
	free(b);
}

/* §2.1 bytes 8..11: zero in every real quote, names disagree between parsers; non-zero
 * values are not rejected, only exposed: u16 @8 as hdr_svn_a, u16 @10 as hdr_svn_b. */
static void test_quote_header_bytes_8_11(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V4, &len, &l, NULL);
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(b, len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(q.hdr_svn_a, 0);
	assert_int_equal(q.hdr_svn_b, 0);
	const uint32_t w0 = q.warnings;
	b[8] = 0x34; b[9] = 0x12; b[10] = 0x78; b[11] = 0x56;
	assert_int_equal(parse_copy(b, len, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_VENDOR |
					    TEEABI_QUOTE_STRICT_TRAILING, &q), TEEABI_OK);
	assert_int_equal(q.hdr_svn_a, 0x1234);
	assert_int_equal(q.hdr_svn_b, 0x5678);
	assert_int_equal(q.warnings, w0); /* no new warning either */
	free(b);
}

/* A v5 type-1 (SGX) body whose reserved fields (§3: reserved1 20..32, reserved2 96..128,
 * reserved3 160..192, reserved4 262..304) are non-zero: a warning on the quote and on the
 * body view, never an error; other body bytes give no warning. */
static void test_quote_W_QUOTE_SGX_RESERVED(void **state)
{
	(void)state;
	struct parts p;
	size_t vlen;
	uint8_t *b = base_parts(&p, &vlen);
	uint8_t body[384] = { 0 };
	p.version = 5;
	p.body_type = 1;
	p.body_size = 384;
	p.tee_type = 0;
	p.body = body;
	uint8_t out[8192];
	struct teeabi_tdx_quote q;
	size_t n = build(out, sizeof(out), &p);
	assert_int_equal(parse_copy(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_false(q.warnings & TEEABI_W_QUOTE_SGX_RESERVED);
	const size_t rsvd[] = { 20, 31, 96, 127, 160, 191, 262, 303 };
	for (size_t i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++) {
		out[54 + rsvd[i]] = 0x01;
		assert_int_equal(parse_copy(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		if (!(q.warnings & TEEABI_W_QUOTE_SGX_RESERVED))
			fail_msg("SGX body reserved byte %zu: warnings 0x%x", rsvd[i], q.warnings);
		assert_true(q.sgx.warnings & TEEABI_W_QE_RESERVED);
		/* the QE report is clean: its own warning stays off */
		assert_false(q.warnings & TEEABI_W_QE_RESERVED);
		out[54 + rsvd[i]] = 0;
	}
	const size_t fields[] = { 0, 16, 19, 32, 64, 128, 192, 256, 261, 304, 320, 383 };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		out[54 + fields[i]] = 0x01;
		assert_int_equal(parse_copy(out, n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		if (q.warnings & TEEABI_W_QUOTE_SGX_RESERVED)
			fail_msg("SGX body field byte %zu: warnings 0x%x", fields[i], q.warnings);
		out[54 + fields[i]] = 0;
	}
	free(b);
}

/* ---------------------------------------------------------------- 5. go-tdx-guest mutations */

/* MANIFEST (quote_v5_sample.dat, from go-tdx-guest abi_test.go): body type 1 -> rejected;
 * body size 999 -> rejected; type 2 with size 648 -> rejected. */
static void test_quote_go_tdx_guest_v5_mutations(void **state)
{
	(void)state;
	size_t len; struct lay l;
	uint8_t *b = vec_copy(V5, &len, &l, NULL);
	put16(b, 48, 1);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SIZE, "type 1 size 648");
	put16(b, 48, 3);
	put32(b, 50, 999);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SIZE, "size 999");
	put16(b, 48, 2);
	put32(b, 50, 648);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_E_QUOTE_BODY_SIZE, "type 2 size 648");
	put16(b, 48, 3);
	check_parse(b, len, TEEABI_QUOTE_DEFAULT, TEEABI_OK, "restored");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_vectors_fields),
		cmocka_unit_test(test_quote_vectors_crypto),
		cmocka_unit_test(test_quote_crypto_null_args),
		cmocka_unit_test(test_quote_crypto_degenerate_values),
		cmocka_unit_test(test_quote_random_mutations),
		cmocka_unit_test(test_quote_der_inner_chain),
		cmocka_unit_test(test_quote_minimum_sizes),
		cmocka_unit_test(test_quote_truncated_prefixes),
		cmocka_unit_test(test_quote_field_corruption),
		cmocka_unit_test(test_quote_E_QUOTE_HEADER_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_VERSION),
		cmocka_unit_test(test_quote_E_QUOTE_ATT_KEY_TYPE),
		cmocka_unit_test(test_quote_E_QUOTE_TEE_TYPE),
		cmocka_unit_test(test_quote_E_QUOTE_DESC_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_BODY_TYPE),
		cmocka_unit_test(test_quote_E_QUOTE_BODY_SIZE),
		cmocka_unit_test(test_quote_E_QUOTE_TEE_BODY),
		cmocka_unit_test(test_quote_E_QUOTE_BODY_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_SIGLEN_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_SIGLEN_BOUNDS),
		cmocka_unit_test(test_quote_E_QUOTE_SIGDATA_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_CERT_TYPE),
		cmocka_unit_test(test_quote_E_QUOTE_CERT_SIZE),
		cmocka_unit_test(test_quote_E_QUOTE_QE_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_QE_AUTH_LEN),
		cmocka_unit_test(test_quote_E_QUOTE_INNER_SHORT),
		cmocka_unit_test(test_quote_E_QUOTE_INNER_TYPE),
		cmocka_unit_test(test_quote_E_QUOTE_INNER_SIZE),
		cmocka_unit_test(test_quote_E_QUOTE_QE_VENDOR),
		cmocka_unit_test(test_quote_E_QUOTE_TRAILING),
		cmocka_unit_test(test_quote_warnings_seam_and_qe_reserved),
		cmocka_unit_test(test_quote_header_bytes_8_11),
		cmocka_unit_test(test_quote_W_QUOTE_SGX_RESERVED),
		cmocka_unit_test(test_quote_go_tdx_guest_v5_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
