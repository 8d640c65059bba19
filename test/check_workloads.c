/* check_workloads.c -- the shipped networks (the files in workloads/) load, and their shapes match the published networks. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cost.h"
#include "model.h"
#include "mode.h"
#include "space.h"
#include "testutil.h"
#include "workload.h"

Suite *suite_workloads(void);

#define WDIR "../workloads/"

static const char *const files[] = {"resnet50", "mobilenetv2", "vgg16", "bert-base", "gpt2-block"};
#define NFILES ((int)(sizeof files / sizeof files[0]))

static void load(dse_network *n, const char *name)
{
    char path[256];
    dse_err e = {0, ""};
    snprintf(path, sizeof path, WDIR "%s.yaml", name);
    int rc = dse_network_load(n, path, &e);
    ck_assert_msg(rc == DSE_OK, "%s: %s", path, e.msg);
}

/* Index of the layer called name, failing the test when absent. */
static const dse_layer *find(const dse_network *n, const char *name)
{
    for (int i = 0; i < n->nlayers; i++)
        if (strcmp(n->layers[i].name, name) == 0) return &n->layers[i];
    ck_abort_msg("%s: no layer '%s'", n->name, name);
    return NULL;
}

/* Weights of one copy of a layer: K * Cin/groups * R * S. */
static double weights(const dse_layer *L)
{
    return (double)L->K * (L->Cin / L->groups) * L->R * L->S;
}

/* Sum over layers (repeats included) of weights, and of K (one BN or bias
 * vector per output channel), over the layers that match `is_conv`
 * (R*S > 1 or P > batch: a convolution; fc layers have P == batch). */
static void counts(const dse_network *n, double *w, double *convk, double *fck)
{
    *w = *convk = *fck = 0;
    for (int i = 0; i < n->nlayers; i++) {
        const dse_layer *L = &n->layers[i];
        *w += weights(L) * L->repeat;
        if (L->P == n->batch) *fck += (double)L->K * L->repeat;
        else *convk += (double)L->K * L->repeat;
    }
}

/* Spatial chain of the convolutions: each one's output pixels P equal the
 * previous convolution's, or a quarter of them (a stride-2 convolution or a
 * 2x2 pool in between). Skips layers with `skip` in their name and fc. */
static void check_spatial(const dse_network *n, const char *skip)
{
    const dse_layer *prev = NULL;
    for (int i = 0; i < n->nlayers; i++) {
        const dse_layer *L = &n->layers[i];
        if ((skip && strstr(L->name, skip)) || L->P == n->batch) continue;
        if (prev)
            ck_assert_msg(L->P == prev->P || 4 * L->P == prev->P, "%s: layer %s has %d output pixels after %s's %d",
                          n->name, L->name, L->P, prev->name, prev->P);
        prev = L;
    }
}

/* The layers, skipping those whose name contains `skip` (may be NULL), form
 * a chain: each one's Cin equals the previous one's K. */
static void check_chain(const dse_network *n, const char *skip)
{
    const dse_layer *prev = NULL;
    for (int i = 0; i < n->nlayers; i++) {
        const dse_layer *L = &n->layers[i];
        if (skip && strstr(L->name, skip)) continue;
        if (prev)
            ck_assert_msg(L->Cin == prev->K, "%s: layer %s has Cin %d but %s gives %d channels",
                          n->name, L->name, L->Cin, prev->name, prev->K);
        prev = L;
    }
}

START_TEST(test_all_load)
{
    /* Every file loads; names match the file; every tensor has a source
     * and a density in (0, 1]; depthwise layers have groups = Cin = K. */
    for (int f = 0; f < NFILES; f++) {
        dse_network n;
        load(&n, files[f]);
        ck_assert_str_eq(n.name, files[f]);
        ck_assert_int_eq(n.batch, 1);
        ck_assert_int_gt(n.nlayers, 0);
        ck_assert_msg(strlen(n.source) > 20, "%s: shapes need a source", n.name);
        for (int i = 0; i < n.nlayers; i++) {
            const dse_layer *L = &n.layers[i];
            const dse_sparsity *s[2] = {&L->w, &L->a};
            for (int t = 0; t < 2; t++) {
                ck_assert_msg(strlen(s[t]->source) > 10, "%s/%s: density without a source", n.name, L->name);
                ck_assert_msg(s[t]->density > 0 && s[t]->density <= 1, "%s/%s: density %g", n.name, L->name,
                              s[t]->density);
            }
            if (L->groups > 1) {
                ck_assert_int_eq(L->groups, L->Cin);
                ck_assert_int_eq(L->K, L->Cin);
            }
            ck_assert_int_ge(L->repeat, 1);
        }
        dse_network_free(&n);
    }
}
END_TEST

START_TEST(test_resnet50)
{
    dse_network n;
    load(&n, "resnet50");
    /* torchvision resnet50 docs (v1.5, stride in the 3x3 conv): 4.09
     * GFLOPS (counted as multiply-adds) and 25,557,032 parameters. Our MACs
     * are exact for the listed layers (4,089,184,256); 0.5% tolerance for
     * the published rounding. The v1 layout (stride in the first 1x1) would
     * give fewer MACs (He et al. Table 1: 3.8e9), outside this tolerance. */
    ck_assert_near(dse_network_macs(&n), 4.09e9, 0.005);
    ck_assert_near(dse_network_macs(&n), 4089184256.0, 1e-12);
    /* Parameters: conv+fc weights + BN (2 per conv output channel) + fc bias. */
    double w, convk, fck;
    counts(&n, &w, &convk, &fck);
    ck_assert_near(w + 2 * convk + fck, 25557032.0, 1e-12);
    /* Structure: 49 chain convs + 4 downsample projections + the fc. */
    int nconv = 0, nds = 0;
    for (int i = 0; i < n.nlayers; i++) {
        const dse_layer *L = &n.layers[i];
        if (L->P == 1) continue;
        nconv += L->repeat;
        if (strstr(L->name, "downsample")) {
            nds += L->repeat;
            /* a projection reads the block input and matches the block output */
            const dse_layer *a = &n.layers[i - 3], *c = &n.layers[i - 1];
            ck_assert_int_eq(L->Cin, a->Cin);
            ck_assert_int_eq(L->K, c->K);
            ck_assert_int_eq(L->P, c->P);
        }
    }
    ck_assert_int_eq(nconv, 53);
    ck_assert_int_eq(nds, 4);
    check_chain(&n, "downsample");
    check_spatial(&n, "downsample");
    /* Hand-worked layer: 3x3, 64 -> 64 at 56x56 = 56*56*64*64*9. */
    ck_assert_near(dse_layer_macs(find(&n, "layer1.0.conv2")), 115605504.0, 1e-12);
    /* v1.5: the first 1x1 of stage 2 runs at the input resolution (56x56),
     * the stride is in the 3x3. */
    ck_assert_int_eq(find(&n, "layer2.0.conv1")->P, 56 * 56);
    ck_assert_int_eq(find(&n, "layer2.0.conv2")->P, 28 * 28);
    ck_assert_int_eq(find(&n, "fc")->Cin, 2048);
    dse_network_free(&n);
}
END_TEST

START_TEST(test_vgg16)
{
    dse_network n;
    load(&n, "vgg16");
    /* torchvision vgg16: 15.47 GFLOPS (multiply-adds), 138,357,544
     * parameters (weights + one bias per output). Exact MACs 15,470,264,320. */
    ck_assert_near(dse_network_macs(&n), 15.47e9, 0.005);
    double w, convk, fck;
    counts(&n, &w, &convk, &fck);
    ck_assert_near(w + convk + fck, 138357544.0, 1e-12);
    ck_assert_int_eq(n.nlayers, 16);
    check_chain(&n, "fc");
    check_spatial(&n, NULL);
    ck_assert_int_eq(find(&n, "conv5_3")->P, 14 * 14);
    ck_assert_int_eq(find(&n, "fc6")->Cin, 512 * 7 * 7);
    ck_assert_int_eq(find(&n, "fc7")->Cin, find(&n, "fc6")->K);
    ck_assert_int_eq(find(&n, "fc8")->Cin, find(&n, "fc7")->K);
    ck_assert_int_eq(find(&n, "fc8")->K, 1000);
    /* Pruned weights: Han et al. 2015 (abstract) reduce VGG-16 from 138M to
     * 10.3M weights; the per-layer densities must add up to that. Their
     * table rounds each layer's percentage to 1%, so the sum is known to
     * +-0.5% of all weights (+-0.69M); we get 10.53M. */
    double kept = 0, all = 0;
    for (int i = 0; i < n.nlayers; i++) {
        kept += weights(&n.layers[i]) * n.layers[i].w.density;
        all += weights(&n.layers[i]);
    }
    ck_assert_msg(fabs(kept - 10.3e6) <= 0.005 * all, "kept %.0f weights, Han et al. 10.3M", kept);
    dse_network_free(&n);
}
END_TEST

START_TEST(test_mobilenetv2)
{
    dse_network n;
    load(&n, "mobilenetv2");
    /* torchvision mobilenet_v2 docs: 0.30 GFLOPS (multiply-adds) and
     * 3,504,872 parameters (weights + BN + fc bias); Sandler et al. 2018
     * quote 300M multiply-adds. Exact MACs 300,774,272; 1% tolerance for
     * the rounding. */
    ck_assert_near(dse_network_macs(&n), 300e6, 0.01);
    double w, convk, fck;
    counts(&n, &w, &convk, &fck);
    ck_assert_near(w + 2 * convk + fck, 3504872.0, 1e-12);
    check_chain(&n, NULL);
    check_spatial(&n, NULL);
    ck_assert_int_eq(find(&n, "conv1")->P, 112 * 112);
    ck_assert_int_eq(find(&n, "conv_last")->P, 7 * 7);
    /* 1x1 convolutions keep the resolution: an expansion or projection has
     * the P of the layer before it. */
    for (int i = 1; i < n.nlayers; i++)
        if (strstr(n.layers[i].name, "expand") || strstr(n.layers[i].name, "project"))
            ck_assert_int_eq(n.layers[i].P, n.layers[i - 1].P);
    /* 17 bottlenecks: 17 depthwise convs, 16 expansions (t = 1 in the first). */
    int ndw = 0, nexp = 0;
    for (int i = 0; i < n.nlayers; i++) {
        if (n.layers[i].groups > 1) ndw += n.layers[i].repeat;
        if (strstr(n.layers[i].name, "expand")) nexp += n.layers[i].repeat;
    }
    ck_assert_int_eq(ndw, 17);
    ck_assert_int_eq(nexp, 16);
    ck_assert_int_eq(find(&n, "fc")->Cin, 1280);
    dse_network_free(&n);
}
END_TEST

/* Transformer layer checks shared by BERT-base and the GPT-2 block:
 * d_model d, h heads of d/h, FFN f, s tokens, `layers` layers. */
static void check_transformer(const dse_network *n, int d, int h, int f, int s, int layers)
{
    const dse_layer *qkv = find(n, "qkv"), *sc = find(n, "attn_score"), *cx = find(n, "attn_context");
    const dse_layer *o = find(n, "attn_out"), *up = find(n, "ffn_up"), *dn = find(n, "ffn_down");
    const dse_layer *wl[4] = {qkv, o, up, dn};
    ck_assert_int_eq(qkv->Cin, d);
    ck_assert_int_eq(qkv->K, 3 * d);
    ck_assert_int_eq(sc->Cin, d / h);   /* reduction over a head's dimension */
    ck_assert_int_eq(sc->K, s);
    ck_assert_int_eq(cx->Cin, s);       /* reduction over the keys */
    ck_assert_int_eq(cx->K * h, d);     /* heads concatenate back to d */
    ck_assert_int_eq(o->Cin, d);
    ck_assert_int_eq(up->K, f);
    ck_assert_int_eq(dn->Cin, f);
    ck_assert_int_eq(dn->K, d);
    ck_assert_int_eq(sc->repeat, h * layers);
    ck_assert_int_eq(cx->repeat, h * layers);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(wl[i]->P, s);
        ck_assert_int_eq(wl[i]->repeat, layers);
    }
    /* Activation-activation GEMMs: their "weight" operand is computed at
     * run time and never pruned. */
    ck_assert(sc->w.density == 1.0 && cx->w.density == 1.0);
    /* MACs: s * (4 d^2 + 2 d f) per layer for the projections and FFN, plus
     * 2 * h * s * s * (d/h) for the scores and the context. */
    double per = (double)s * (4.0 * d * d + 2.0 * d * f) + 2.0 * h * s * s * (d / h);
    ck_assert_near(dse_network_macs(n), per * layers, 1e-12);
}

START_TEST(test_bert_base)
{
    dse_network n;
    load(&n, "bert-base");
    /* Devlin et al. 2019: BERT-base L=12, H=768, A=12, FFN 3072; at
     * sequence length 128: 12 x (128 x 7,077,888 + 2 x 12 x 128^2 x 64) =
     * 11,173,625,856 MACs (about 22.3 GFLOPs). */
    check_transformer(&n, 768, 12, 3072, 128, 12);
    ck_assert_near(dse_network_macs(&n), 11173625856.0, 1e-12);
    /* Parameters: the encoder's weights from the file plus biases and the
     * two LayerNorms per layer (computed from d, f), plus the embeddings
     * (30522 x 768 vocabulary, 512 positions, 2 segments, LayerNorm) and
     * the pooler, give BERT-base's 109,482,240 (the "110M" of Devlin et al.;
     * the exact count is that of the Hugging Face bert-base-uncased model). */
    double w = 0;
    const char *proj[] = {"qkv", "attn_out", "ffn_up", "ffn_down"};
    for (int i = 0; i < 4; i++) w += weights(find(&n, proj[i])) * find(&n, proj[i])->repeat;
    double biases_ln = 12.0 * (3 * 768 + 768 + 3072 + 768 + 4 * 768);
    double emb = 30522.0 * 768 + 512.0 * 768 + 2.0 * 768 + 2 * 768, pooler = 768.0 * 768 + 768;
    ck_assert_near(w + biases_ln + emb + pooler, 109482240.0, 1e-12);
    /* Weight density: movement-pruned to 10% remaining. */
    ck_assert_near(find(&n, "qkv")->w.density, 0.10, 1e-12);
    dse_network_free(&n);
}
END_TEST

START_TEST(test_gpt2_block)
{
    dse_network n;
    load(&n, "gpt2-block");
    /* GPT-2 small: d 768, 12 heads, MLP 3072; one block at 1024 tokens:
     * 1024 x 7,077,888 + 2 x 12 x 1024^2 x 64 = 8,858,370,048 MACs. */
    check_transformer(&n, 768, 12, 3072, 1024, 1);
    ck_assert_near(dse_network_macs(&n), 8858370048.0, 1e-12);
    /* Parameters: 12 such blocks (weights from the file, biases and two
     * LayerNorms computed) + token (50257 x 768) and position (1024 x 768)
     * embeddings + final LayerNorm = GPT-2 small's 124,439,808 (Hugging
     * Face gpt2 model; Radford et al. 2019 list it as 117M). */
    double w = 0;
    const char *proj[] = {"qkv", "attn_out", "ffn_up", "ffn_down"};
    for (int i = 0; i < 4; i++) w += weights(find(&n, proj[i]));
    double block = w + (3 * 768 + 768 + 3072 + 768) + 4 * 768;
    ck_assert_near(12 * block + 50257.0 * 768 + 1024.0 * 768 + 2 * 768, 124439808.0, 1e-12);
    /* 2:4 weights; the causal mask zeros (s+1)/(2s) of P's entries. */
    const dse_layer *q = find(&n, "qkv");
    ck_assert(q->w.dist == DSE_DIST_NM && q->w.n == 2 && q->w.m == 4);
    ck_assert_near(find(&n, "attn_context")->a.density, 1025.0 / 2048.0, 1e-6);
    dse_network_free(&n);
}
END_TEST

/* ---- presets (spaces/presets.yaml) ------------------------------------ */

static const dse_point *preset(const dse_space *s, const char *name)
{
    for (int i = 0; i < s->npresets; i++)
        if (strcmp(s->presets[i].name, name) == 0) return &s->presets[i].point;
    ck_abort_msg("spaces/presets.yaml: no preset '%s'", name);
    return NULL;
}

START_TEST(test_presets_load)
{
    /* The preset list of docs/presets.md, each feasible (constraints and
     * the hybrid resource rules of src/mode.c) and with the windows the
     * docs describe. */
    dse_space s;
    dse_err e = {0, ""};
    ck_assert_msg(dse_space_load(&s, "../spaces/presets.yaml", &e) == DSE_OK, "%s", e.msg);
    static const char *const names[] = {"dense", "bit-tactical-T25", "tensordash-T25", "cnvlutin-like",
                                        "sparse-tensor-core-2of4", "sparten-like", "dual-T25-T25",
                                        "griffin-hybrid"};
    ck_assert_int_eq(s.npresets, 11);
    ck_assert_int_eq(s.nworkloads, NFILES);
    for (int i = 0; i < 8; i++) {
        char why[256] = "";
        ck_assert_msg(dse_space_feasible(&s, preset(&s, names[i]), why, sizeof why), "%s: %s", names[i], why);
    }
    const dse_point *bt = preset(&s, "bit-tactical-T25"), *stc = preset(&s, "sparse-tensor-core-2of4");
    const dse_point *g = preset(&s, "griffin-hybrid"), *d2 = preset(&s, "dual-T25-T25");
    /* Bit-Tactical / TensorDash: T(2,5), multiplexer fan-in 8. */
    ck_assert_int_eq(dse_derived(bt, DSE_D_w_fanin), 8);
    ck_assert_int_eq(dse_derived(preset(&s, "tensordash-T25"), DSE_D_a_fanin), 8);
    /* 2:4 tensor core: lookahead 1 and a window reaching every lane. */
    ck_assert_int_eq(stc->w_lookahead, 1);
    ck_assert(stc->w_shape == DSE_SHAPE_RECT && 2 * stc->w_lookaside + 1 >= stc->lanes);
    /* The hybrid owns exactly the dual design's hardware and runs a wider
     * window in single-sparse modes. */
    ck_assert(g->hybrid && !d2->hybrid);
    ck_assert_int_eq(dse_derived(g, DSE_D_w_fanin), dse_derived(d2, DSE_D_w_fanin));
    ck_assert_int_eq(dse_derived(g, DSE_D_a_fanin), dse_derived(d2, DSE_D_a_fanin));
    ck_assert_int_gt(g->wmode_lookaside, g->w_lookaside);
    ck_assert_int_gt(g->amode_lookaside, g->a_lookaside);
    dse_space_free(&s);
}
END_TEST

START_TEST(test_presets_evaluate)
{
    /* Every preset evaluates in all four modes on every workload; the
     * dense preset and the dense mode run at exactly dense speed; no
     * preset is slower than dense (one that stores a format: see below); the 2:4 preset gets exactly 2x on the
     * 2:4 weight GEMMs of the GPT-2 block. */
    dse_space s;
    dse_tech *t = NULL;
    dse_cost *c = NULL;
    dse_err e = {0, ""};
    ck_assert_msg(dse_space_load(&s, "../spaces/presets.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_msg(dse_tech_load(&t, s.tech_path, &e) == DSE_OK, "%s", e.msg);
    ck_assert_msg(dse_cost_new(&c, t, &e) == DSE_OK, "%s", e.msg);
    dse_perf_opts o = {s.fidelity, s.seed, s.precision, s.min_tiles, s.max_tiles, NULL, s.scope, NULL, s.mapobj};
    for (int i = 0; i < s.npresets; i++) {
        const dse_point *p = &s.presets[i].point;
        for (int w = 0; w < s.nworkloads; w++)
            for (int m = 0; m < DSE_NMODES; m++) {
                dse_metrics r;
                const char *what = s.presets[i].name, *net = s.workloads[w].name;
                ck_assert_msg(dse_model_eval(p, &s.workloads[w], (dse_mode)m, c, &o, &r, NULL, NULL, &e) == DSE_OK,
                              "%s on %s, %s mode: %s", what, net, dse_mode_names[m], e.msg);
                for (int k = 0; k < DSE_NMETRICS; k++)
                    ck_assert_msg(isfinite(r.v[k]), "%s on %s, %s mode: %s is not finite", what, net,
                                  dse_mode_names[m], dse_metric_names[k]);
                double sp = r.v[DSE_M_speedup];
                if (p->a_format != DSE_FMT_NONE || p->w_format != DSE_FMT_NONE) {
                    /* a stored format on dense data moves its bitmaps too (one bit a word): a
                     * DRAM-bound layer may run up to 1 / (1 + 1/bits) of dense speed */
                    if (m == DSE_MODE_DENSE)
                        ck_assert_msg(sp <= 1.0 && sp >= 1 / (1 + 1.0 / p->bits) - 1e-9, "%s on %s, dense mode: speedup %g",
                                      what, net, sp);
                    continue;
                }
                if (m == DSE_MODE_DENSE || strcmp(what, "dense") == 0)
                    ck_assert_msg(sp == 1.0, "%s on %s, %s mode: speedup %g", what, net, dse_mode_names[m], sp);
                ck_assert_msg(sp >= 1.0 - 1e-9, "%s on %s, %s mode: slower than dense (%g)", what, net,
                              dse_mode_names[m], sp);
            }
    }
    /* 2:4: weight GEMMs exactly 2x, attention GEMMs (dense "weights") 1x. */
    const dse_network *g = NULL;
    for (int w = 0; w < s.nworkloads; w++)
        if (strcmp(s.workloads[w].name, "gpt2-block") == 0) g = &s.workloads[w];
    ck_assert_ptr_nonnull(g);
    const dse_point *stc = preset(&s, "sparse-tensor-core-2of4");
    dse_config cfg;
    ck_assert_msg(dse_mode_config(stc, DSE_MODE_WEIGHT, &cfg, &e) == DSE_OK, "%s", e.msg);
    for (int i = 0; i < g->nlayers; i++) {
        dse_perf r;
        ck_assert_msg(dse_perf_layer(stc, &cfg, &g->layers[i], &o, &r, &e) == DSE_OK, "%s", e.msg);
        double want = g->layers[i].w.dist == DSE_DIST_NM ? 2.0 : 1.0;
        ck_assert_msg(fabs(r.dense_cycles / r.cycles - want) < 1e-9, "gpt2-block/%s: speedup %.6f, expected %g",
                      g->layers[i].name, r.dense_cycles / r.cycles, want);
    }
    dse_cost_free(c);
    dse_tech_free(t);
    dse_space_free(&s);
}
END_TEST

Suite *suite_workloads(void)
{
    Suite *s = suite_create("workloads");
    TCase *tc = tcase_create("networks");
    tcase_add_test(tc, test_all_load);
    tcase_add_test(tc, test_resnet50);
    tcase_add_test(tc, test_vgg16);
    tcase_add_test(tc, test_mobilenetv2);
    tcase_add_test(tc, test_bert_base);
    tcase_add_test(tc, test_gpt2_block);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("presets");
    tcase_set_timeout(tp, 60);
    tcase_add_test(tp, test_presets_load);
    tcase_add_test(tp, test_presets_evaluate);
    suite_add_tcase(s, tp);
    return s;
}
