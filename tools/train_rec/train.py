"""Last-layer training in numpy: CTC on the rendered lines + KL to the base model's outputs on
look-alike/ordinary lines, only the columns of the trainable classes free (the rest frozen at the
base values). No torch: softmax over all 18,710 classes is kept exact by precomputing, per time
step, the log-sum-exp of the frozen classes' logits (constant, their weights never change)."""
import numpy as np

from . import model

NEG = -1e30


def _lse(a, axis=-1):
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)


class Prepared:
    """Concatenated features of a line set plus what the frozen classes contribute."""

    def __init__(self, feats, texts, kinds, trainable, W, b, chunk=3000):
        self.S = np.asarray(trainable, np.int64)
        pos = np.full(model.CLASSES, -1, np.int64)
        pos[self.S] = np.arange(len(self.S))
        self.pos = pos
        frozen = np.ones(model.CLASSES, bool)
        frozen[self.S] = False
        self.T = np.array([f.shape[0] for f in feats], np.int64)
        self.start = np.concatenate([[0], np.cumsum(self.T)])
        self.X = np.concatenate(feats).astype(np.float32)
        R = len(self.X)
        self.lse_frozen = np.empty(R, np.float32)
        self.best_frozen = np.empty(R, np.int64)
        self.best_frozen_val = np.empty(R, np.float32)
        self.labels = [np.asarray(model.encode_text(t), np.int64) for t in texts]
        self.kinds = list(kinds)
        self.texts = list(texts)
        Wf, bf = W[:, frozen], b[frozen]
        fidx = np.nonzero(frozen)[0]
        for r0 in range(0, R, chunk):
            z = self.X[r0:r0 + chunk] @ Wf + bf
            self.lse_frozen[r0:r0 + chunk] = _lse(z)
            j = z.argmax(1)
            self.best_frozen[r0:r0 + chunk] = fidx[j]
            self.best_frozen_val[r0:r0 + chunk] = z[np.arange(len(z)), j]
        # logits of each line's frozen label classes (constant)
        self.lab_logit = []
        for i, lab in enumerate(self.labels):
            x = self.X[self.start[i]:self.start[i + 1]]
            self.lab_logit.append((x @ W[:, lab] + b[lab]).astype(np.float32))

    def rows(self, idx):
        return np.concatenate([np.arange(self.start[i], self.start[i + 1]) for i in idx])


def ctc_batch(lp_list, lab_list):
    """CTC over a batch. lp_list[i]: [T_i, L_i+1] log-probs (column 0 blank, then the labels in
    order); returns (loss per line, posterior occupancy [T_i, L_i+1] per line)."""
    B = len(lp_list)
    Tm = max(lp.shape[0] for lp in lp_list)
    Sm = max(2 * len(l) + 1 for l in lab_list)
    lpe = np.full((B, Tm, Sm), NEG)
    skip = np.zeros((B, Sm), bool)
    Ts = np.array([lp.shape[0] for lp in lp_list])
    Ss = np.array([2 * len(l) + 1 for l in lab_list])
    col = []
    for i, (lp, lab) in enumerate(zip(lp_list, lab_list)):
        L = len(lab)
        c = np.zeros(2 * L + 1, np.int64)
        c[1::2] = np.arange(1, L + 1)
        col.append(c)
        lpe[i, :lp.shape[0], :2 * L + 1] = lp[:, c]
        if L > 1:
            s = np.arange(3, 2 * L + 1, 2)
            skip[i, s] = lab[1:] != lab[:-1]
    alpha = np.full((B, Tm, Sm), NEG)
    alpha[:, 0, 0] = lpe[:, 0, 0]
    alpha[:, 0, 1] = np.where(Ss > 1, lpe[:, 0, 1], NEG)
    for t in range(1, Tm):
        a = alpha[:, t - 1]
        s1 = np.concatenate([np.full((B, 1), NEG), a[:, :-1]], 1)
        s2 = np.where(skip, np.concatenate([np.full((B, 2), NEG), a[:, :-2]], 1), NEG)
        m = np.maximum(np.maximum(a, s1), s2)
        alpha[:, t] = m + np.log(np.exp(a - m) + np.exp(s1 - m) + np.exp(s2 - m)) + lpe[:, t]
    beta = np.full((B, Tm, Sm), NEG)
    ends = np.full((B, Sm), NEG)
    ends[np.arange(B), Ss - 1] = 0.0
    ends[np.arange(B), np.maximum(Ss - 2, 0)] = 0.0
    skip_next = np.concatenate([skip[:, 2:], np.zeros((B, 2), bool)], 1)  # may skip s -> s+2
    for t in range(Tm - 1, -1, -1):
        if t == Tm - 1:
            nb = np.full((B, Sm), NEG)
        else:
            e = beta[:, t + 1] + lpe[:, t + 1]
            n1 = np.concatenate([e[:, 1:], np.full((B, 1), NEG)], 1)
            n2 = np.where(skip_next, np.concatenate([e[:, 2:], np.full((B, 2), NEG)], 1), NEG)
            m = np.maximum(np.maximum(e, n1), n2)
            nb = m + np.log(np.exp(e - m) + np.exp(n1 - m) + np.exp(n2 - m))
        last = (Ts - 1 == t)[:, None]
        beta[:, t] = np.where(last, ends, np.where((t > Ts - 1)[:, None], NEG, nb))
    fin = alpha[np.arange(B), Ts - 1]
    logp = np.array([np.logaddexp(fin[i, Ss[i] - 1], fin[i, Ss[i] - 2] if Ss[i] > 1 else NEG) for i in range(B)])
    losses, occs = [], []
    for i in range(B):
        T, S = Ts[i], Ss[i]
        g = np.exp(alpha[i, :T, :S] + beta[i, :T, :S] - logp[i])
        occ = np.zeros((T, len(lab_list[i]) + 1))
        np.add.at(occ.T, col[i], g.T)
        losses.append(-logp[i])
        occs.append(occ)
    return np.array(losses), occs


def forward(P: Prepared, WS, bS, rows):
    z = P.X[rows] @ WS + bS
    logZ = np.logaddexp(_lse(z), P.lse_frozen[rows])
    return z, logZ


def train(P: Prepared, W, b, *, epochs=3, batch=32, lr=3e-3, kl_weight=1.0, kl_kinds=("lookalike", "ordinary",
          "minority"), kl_lookalike=None, rare_pen=0.0, rare_cols=None, frozen_cols=None, l2=1e-4, l2_cols=None,
          seed=14, log=print, every=0, on_check=None):
    """Adam on the trainable columns. Loss per line: CTC; + KL(base || tuned) per step on kl_kinds
    (weight kl_weight; kl_lookalike on look-alike lines if given); + rare_pen * -log(1 - P_rare) per
    step on look-alike lines, P_rare = tuned probability of the rare_cols (positions in P.S) that the
    line's text does not hold; + l2 * |w - w_base|^2 (l2_cols: per-column multiplier). frozen_cols
    (positions in P.S) keep their base values. on_check(step, WS, bS) is called every `every` steps."""
    S = P.S
    WS0, bS0 = W[:, S].astype(np.float64), b[S].astype(np.float64)
    WS, bS = WS0.copy(), bS0.copy()
    WS0f, bS0f = WS0.astype(np.float32), bS0.astype(np.float32)
    mW, vW, mb, vb = np.zeros_like(WS), np.zeros_like(WS), np.zeros_like(bS), np.zeros_like(bS)
    free = np.ones(len(S), bool)
    if frozen_cols is not None:
        free[np.asarray(frozen_cols, np.int64)] = False
    l2v = np.full(len(S), l2) if l2_cols is None else l2 * np.asarray(l2_cols, np.float64)
    rmask = np.zeros(len(S), bool)
    if rare_cols is not None:
        rmask[np.asarray(rare_cols, np.int64)] = True
    klw = {k: kl_weight for k in kl_kinds}
    if kl_lookalike is not None:
        klw["lookalike"] = kl_lookalike
    rng = np.random.default_rng(seed)
    n = len(P.T)
    step = 0
    for ep in range(epochs):
        order = rng.permutation(n)
        tot_ctc, tot_kl, tot_pen, cnt = 0.0, 0.0, 0.0, 0
        for b0 in range(0, n, batch):
            idx = order[b0:b0 + batch]
            rows = P.rows(idx)
            WSf, bSf = WS.astype(np.float32), bS.astype(np.float32)
            z, logZ = forward(P, WSf, bSf, rows)
            lpS = z - logZ[:, None]
            pS = np.exp(lpS)  # new probs of trainable classes
            G = pS.copy()  # CTC gradient: p - occupancy, per line scaled below
            lp_list, labs, offs = [], [], []
            off = 0
            for i in idx:
                T = P.T[i]
                lab = P.labels[i]
                lp = np.empty((T, len(lab) + 1))
                zz, lz = z[off:off + T], logZ[off:off + T]
                lp[:, 0] = lpS[off:off + T, P.pos[0]]
                ps = P.pos[lab]
                inS = ps >= 0
                lp[:, 1:][:, inS] = zz[:, ps[inS]] - lz[:, None]
                lp[:, 1:][:, ~inS] = P.lab_logit[i][:, ~inS] - lz[:, None]
                lp_list.append(lp)
                labs.append(lab)
                offs.append(off)
                off += T
            losses, occs = ctc_batch(lp_list, labs)
            ok = np.isfinite(losses) & (losses < 1e4)
            need_base = any(klw.get(P.kinds[i], 0) > 0 for i in idx)
            if need_base:
                zb = P.X[rows] @ WS0f + bS0f
                lzb = np.logaddexp(_lse(zb), P.lse_frozen[rows])
                lpb = zb - lzb[:, None]
                pb = np.exp(lpb)
            for j, i in enumerate(idx):
                T, o = P.T[i], offs[j]
                sl = slice(o, o + T)
                if not ok[j]:
                    G[sl] = 0
                else:
                    lab = P.labels[i]
                    G[sl, P.pos[0]] -= occs[j][:, 0]
                    ps = P.pos[lab]
                    for k in np.nonzero(ps >= 0)[0]:
                        G[sl, ps[k]] -= occs[j][:, k + 1]
                w = klw.get(P.kinds[i], 0)
                if w > 0:
                    G[sl] += w * (pS[sl] - pb[sl])
                    pfb, pfn = 1 - pb[sl].sum(1), 1 - pS[sl].sum(1)
                    tot_kl += float((pb[sl] * (lpb[sl] - lpS[sl])).sum() + (pfb * (logZ[sl] - lzb[sl])).sum())
                if rare_pen > 0 and P.kinds[i] == "lookalike":
                    m = rmask.copy()
                    ps = P.pos[P.labels[i]]
                    m[ps[ps >= 0]] = False
                    pr = np.minimum((pS[sl] * m).sum(1), 1 - 1e-6)
                    tot_pen += float(-np.log1p(-pr).sum())
                    # d/dz_c -log(1 - P_R) = p_c (1[c in R] - P_R) / (1 - P_R)
                    G[sl] += rare_pen * pS[sl] * (m[None, :] - pr[:, None]) / (1 - pr[:, None])
            G /= len(idx)
            tot_ctc += losses[ok].sum()
            cnt += len(idx)
            gW = (P.X[rows].T @ G.astype(np.float32)).astype(np.float64) + l2v * (WS - WS0)
            gb = G.sum(0, dtype=np.float64) + l2v * (bS - bS0)
            gW[:, ~free] = 0
            gb[~free] = 0
            step += 1
            for p, g, m_, v in ((WS, gW, mW, vW), (bS, gb, mb, vb)):
                m_ *= 0.9
                m_ += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                p -= lr * (m_ / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
            if every and on_check and step % every == 0:
                on_check(step, WS.astype(np.float32), bS.astype(np.float32))
        log(f"  epoch {ep + 1}/{epochs}: ctc {tot_ctc / max(cnt, 1):.4f}  kl {tot_kl / max(cnt, 1):.4f}  "
            f"rare-pen {tot_pen / max(cnt, 1):.4f}")
    return WS.astype(np.float32), bS.astype(np.float32)


def decode(P: Prepared, WS, bS, i):
    r0, r1 = P.start[i], P.start[i + 1]
    z = P.X[r0:r1] @ WS + bS
    j = z.argmax(1)
    v = z[np.arange(len(z)), j]
    best = np.where(v >= P.best_frozen_val[r0:r1], P.S[j], P.best_frozen[r0:r1])
    return model.decode_greedy(best)


def class_margins(P: Prepared, WS, bS, idx, rare_set, step=0.5, log=print, rounds=20):
    """Per trainable class (positions in P.S), how far to lower its bias: each rare class that a line
    of idx (look-alike lines) is given although its text lacks it is lowered by `step` for each such
    line, then all of idx is read again, until none is or `rounds` pass. Returns the margins (0 for untouched classes)."""
    cls = model.class_of()
    marg = np.zeros(len(P.S), np.float32)
    for rnd in range(rounds):
        bm = bS - marg
        fired = 0
        for i in idx:
            text = P.texts[i]
            for c in set(decode(P, WS, bm, i)):
                if c in rare_set and c not in text:
                    marg[P.pos[cls[c]]] += step
                    fired += 1
        log(f"  class margins, round {rnd + 1}: {fired} rare characters given to look-alike lines")
        if not fired:
            break
    log(f"  class margins: {int((marg > 0).sum())} rare classes lowered, up to {marg.max():.2f}")
    return marg
