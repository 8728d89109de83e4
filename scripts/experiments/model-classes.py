#!/usr/bin/python3
"""Other model classes for the two fitted decisions, cross-validated by site as the project's fits are (5 folds by site,
features kept when seen in >= 4 samples of >= 2 sites of the training folds).
Function (three site orders): logistic regression (scikit-learn's, a check of the project's own fit), gradient-boosted
trees on the structural features, their blend, a linear SVM and complement naive Bayes, alone and log-blended with
the logistic regression. Category (order 0; candidates fitted as read with the shipped function model, scored as read
with the function model fitted without their fold, as `rules fit --model category` does): the hand-set rules,
logistic regression, boosted trees and their blend, each at its best threshold (optimistic) and at 0.5.
An experiment only: scikit-learn is Debian's python3-sklearn (run with /usr/bin/python3), never a project dependency.
  node scripts/experiments/dump-fit-samples.mjs /tmp/fit
  /usr/bin/python3 scripts/experiments/model-classes.py /tmp/fit
"""
import collections
import json
import sys

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

S = json.load(open(sys.argv[1] + '.function.json'))
FUNCTIONS = ['problem', 'cause', 'measure', 'context']
y = np.array([FUNCTIONS.index(s['y']) for s in S])
kinds = np.array([s['kind'] for s in S])
WORDS = ('pair', 'word', 'start')


def matrix(train, structural_only=False):
    """Every sample's features over those the training samples support (as fitFunctionModel keeps them)."""
    support, sites = collections.Counter(), collections.defaultdict(set)
    for i in train:
        for k in S[i]['x']:
            support[k] += 1
            sites[k].add(S[i]['g'])
    keep = sorted(k for k in support if (k == 'bias' or (support[k] >= 4 and len(sites[k]) >= 2)) and not (structural_only and k.split(':')[0] in WORDS))
    col = {k: j for j, k in enumerate(keep)}
    rows, cols, vals = [], [], []
    for i, s in enumerate(S):
        for k, v in s['x'].items():
            if k in col and v != 0:
                rows.append(i), cols.append(col[k]), vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(S), len(keep)))


def out_of_fold(make, order, dense_structural=False):
    """Each sample's probabilities from the model fitted without its site's fold."""
    proba = np.zeros((len(S), len(FUNCTIONS)))
    for k in range(5):
        test = np.array([s['f'][order] == k for s in S])
        X = matrix(np.where(~test)[0], structural_only=dense_structural)
        m = make()
        if dense_structural:
            m.fit(X[~test].toarray(), y[~test])
            p = m.predict_proba(X[test].toarray())
        else:
            m.fit(X[~test], y[~test])
            p = m.predict_proba(X[test])
        proba[np.ix_(test, m.classes_)] = p
    return proba


def show(name, order, proba):
    pred = proba.argmax(1)
    per = '  '.join(f'{k} {(pred[kinds == k] == y[kinds == k]).mean():.3f}' for k in sorted(set(kinds)))
    print(f'{name:34s} order {order}  accuracy {(pred == y).mean():.3f}  {per}', flush=True)


for order in range(3):
    lr = out_of_fold(lambda: LogisticRegression(C=1, max_iter=3000), order)
    show('logistic regression', order, lr)
    gb = out_of_fold(lambda: HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0, random_state=0), order, dense_structural=True)
    show('boosted trees (structural)', order, gb)
    for a in (0.3, 0.5):
        show(f'  blend, trees at {a}', order, a * gb + (1 - a) * lr)
    show('linear SVM (C 0.05)', order, out_of_fold(lambda: CalibratedClassifierCV(LinearSVC(C=0.05, max_iter=20000), cv=3), order))
    nb = out_of_fold(lambda: ComplementNB(alpha=0.5), order)
    show('complement naive Bayes', order, nb)
    for a in (0.1, 0.3):
        show(f'  log-blend, Bayes at {a}', order, (1 - a) * np.log(lr + 1e-9) + a * np.log(nb + 1e-9))


# Category: one binary sample per candidate (is the candidate's category in the unit's gold?).
C = json.load(open(sys.argv[1] + '.category.json'))


def candidates(units):
    return [(u, c, 1 if c['id'] in u['gold'] else 0) for u in units for c in u['c']]


TRAIN, TEST = candidates(C['train']), candidates(C['test'])
GOLD = sum(len(u['gold']) for u in C['test'])


def candidate_matrix(items, keep):
    col = {k: j for j, k in enumerate(keep)}
    rows, cols, vals = [], [], []
    for i, (_, c, _) in enumerate(items):
        for k, v in c['x'].items():
            if k in col and v != 0:
                rows.append(i), cols.append(col[k]), vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(items), len(keep)))


def candidate_scores(make, dense=False):
    scores = np.zeros(len(TEST))
    for k in range(5):
        train = [t for t in TRAIN if t[0]['f'] != k]
        test = [i for i, t in enumerate(TEST) if t[0]['f'] == k]
        support, sites = collections.Counter(), collections.defaultdict(set)
        for u, c, _ in train:
            for f in c['x']:
                support[f] += 1
                sites[f].add(u['g'])
        keep = sorted(f for f in support if f == 'bias' or (support[f] >= 4 and len(sites[f]) >= 2))
        Xtr, Xte = candidate_matrix(train, keep), candidate_matrix([TEST[i] for i in test], keep)
        ytr = np.array([t[2] for t in train])
        m = make()
        m.fit(Xtr.toarray() if dense else Xtr, ytr)
        scores[test] = m.predict_proba(Xte.toarray() if dense else Xte)[:, 1]
    return scores


def pair_f1(scores, t):
    tp = sum(1 for s, (_, _, g) in zip(scores, TEST) if s > t and g)
    fp = sum(1 for s, (_, _, g) in zip(scores, TEST) if s > t and not g)
    return 2 * tp / (2 * tp + fp + (GOLD - tp))


def show_category(name, scores):
    best = max((pair_f1(scores, t), t) for t in np.arange(0.2, 0.8, 0.05))
    print(f'{name:34s} category micro-F1 {best[0]:.3f} at its best threshold {best[1]:.2f}, {pair_f1(scores, 0.5):.3f} at 0.5', flush=True)


show_category('hand-set rules', np.array([1.0 if c['rules'] else 0.0 for _, c, _ in TEST]))
clr = candidate_scores(lambda: LogisticRegression(C=1, max_iter=3000))
show_category('logistic regression', clr)
cgb = candidate_scores(lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0, random_state=0), dense=True)
show_category('boosted trees', cgb)
for a in (0.3, 0.5):
    show_category(f'  blend, trees at {a}', a * cgb + (1 - a) * clr)
