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


def supported(examples, leave_out=()):
    """The features kept for fitting (as fitFunctionModel keeps them): bias, and those seen in >= 4 of the examples
    (feature dict, site) on >= 2 sites; none whose prefix is in `leave_out`."""
    support, sites = collections.Counter(), collections.defaultdict(set)
    for x, site in examples:
        for k in x:
            support[k] += 1
            sites[k].add(site)
    return sorted(k for k in support if (k == 'bias' or (support[k] >= 4 and len(sites[k]) >= 2)) and k.split(':')[0] not in leave_out)


def sparse(xs, keep):
    """The feature dicts `xs` as rows of a sparse matrix over the columns `keep`."""
    col = {k: j for j, k in enumerate(keep)}
    rows, cols, vals = [], [], []
    for i, x in enumerate(xs):
        for k, v in x.items():
            if k in col and v != 0:
                rows.append(i), cols.append(col[k]), vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(xs), len(keep)))


def fit_predict(make, X_train, y_train, X_test, dense):
    """Probabilities per class (in the model's class order) and the classes."""
    m = make()
    m.fit(X_train.toarray() if dense else X_train, y_train)
    return m.predict_proba(X_test.toarray() if dense else X_test), m.classes_


def boosted_trees(max_iter):
    return lambda: HistGradientBoostingClassifier(max_iter=max_iter, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0, random_state=0)


def out_of_fold(make, order, dense_structural=False):
    """Each sample's probabilities from the model fitted without its site's fold (trees: on the structural features)."""
    proba = np.zeros((len(S), len(FUNCTIONS)))
    xs = [s['x'] for s in S]
    for k in range(5):
        test = np.array([s['f'][order] == k for s in S])
        keep = supported([(S[i]['x'], S[i]['g']) for i in np.where(~test)[0]], WORDS if dense_structural else ())
        X = sparse(xs, keep)
        p, classes = fit_predict(make, X[~test], y[~test], X[test], dense_structural)
        proba[np.ix_(test, classes)] = p
    return proba


def show(name, order, proba):
    pred = proba.argmax(1)
    per = '  '.join(f'{k} {(pred[kinds == k] == y[kinds == k]).mean():.3f}' for k in sorted(set(kinds)))
    print(f'{name:34s} order {order}  accuracy {(pred == y).mean():.3f}  {per}', flush=True)


for order in range(3):
    lr = out_of_fold(lambda: LogisticRegression(C=1, max_iter=3000), order)
    show('logistic regression', order, lr)
    gb = out_of_fold(boosted_trees(300), order, dense_structural=True)
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


def candidate_scores(make, dense=False):
    scores = np.zeros(len(TEST))
    for k in range(5):
        train = [t for t in TRAIN if t[0]['f'] != k]
        test = [i for i, t in enumerate(TEST) if t[0]['f'] == k]
        keep = supported([(c['x'], u['g']) for u, c, _ in train])
        X_train, X_test = sparse([c['x'] for _, c, _ in train], keep), sparse([TEST[i][1]['x'] for i in test], keep)
        p, classes = fit_predict(make, X_train, np.array([t[2] for t in train]), X_test, dense)
        scores[test] = p[:, list(classes).index(1)]
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
cgb = candidate_scores(boosted_trees(200), dense=True)
show_category('boosted trees', cgb)
for a in (0.3, 0.5):
    show_category(f'  blend, trees at {a}', a * cgb + (1 - a) * clr)
