"""Tests of the Python helper `datakamp` on a small hand-made DataFrame; every expected number is
worked out by hand in the comments. Run inside an analysis image:
    python3 -m unittest discover -s /path/to/images/helper/python/tests -v
"""

import math
import os
import shutil
import tempfile
import unittest

import numpy as np
import pandas as pd

import datakamp


def persons():
    # Unit 1 has two rows in one cell (its unit value is 150); unit 2 is in two cells (A/old, B/old);
    # unit 5 has no income; unit 3 is not on benefit.
    return pd.DataFrame({
        "person_id": [1, 1, 2, 3, 4, 5, 6, 2],
        "district": ["A", "A", "A", "B", "B", "B", "A", "B"],
        "age_band": ["young", "young", "old", "young", "old", "old", "young", "old"],
        "income": [100, 50, 200, 300, 400, np.nan, 10, 5],
        "benefit": ["yes", "yes", "yes", "no", "yes", "yes", "yes", "yes"],
    })


class OutboxTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="datakamp-test-")
        self.outbox = os.path.join(self.dir, "outbox")
        os.mkdir(self.outbox)
        self._old = os.environ.get("DATAKAMP_OUTBOX")
        os.environ["DATAKAMP_OUTBOX"] = self.outbox

    def tearDown(self):
        if self._old is None:
            os.environ.pop("DATAKAMP_OUTBOX", None)
        else:
            os.environ["DATAKAMP_OUTBOX"] = self._old
        shutil.rmtree(self.dir)

    def read(self, name):
        with open(os.path.join(self.outbox, name), encoding="utf-8") as f:
            return f.read()

    def files(self):
        return sorted(os.listdir(self.outbox))


class CrosstabFilesTest(OutboxTest):
    def test_sum_with_filter_and_margins_writes_exact_csv_spec_and_description(self):
        t = datakamp.crosstab(persons(), dataset="persons", unit="person_id", rows="district",
                              cols="age_band", values="income", aggfunc="sum", filter='benefit == "yes"',
                              margins=True, name="income_by_district",
                              description="Total income of benefit recipients by district and age band.")
        self.assertEqual(self.files(), ["income_by_district.csv", "income_by_district.description.txt",
                                        "income_by_district.spec.yaml"])
        # A/old: unit 2 = 200; A/young: units 1 (100+50) and 6 (10) = 160; B/old: 400 + 5, unit 5 has no
        # value = 405; B/young: no unit on benefit -> empty; Total/old: unit 2 (200+5) + 400 = 605.
        self.assertEqual(self.read("income_by_district.csv"),
                         "district,age_band,value\n"
                         "A,old,200\nA,young,160\nA,Total,360\n"
                         "B,old,405\nB,young,\nB,Total,405\n"
                         "Total,old,605\nTotal,young,160\nTotal,Total,765\n")
        self.assertEqual(self.read("income_by_district.spec.yaml"),
                         "# Table spec for the Datakamp disclosure checker (written by the datakamp helper).\n"
                         "version: 1\n"
                         "kind: table\n"
                         'dataset: "persons"\n'
                         'unit: "person_id"\n'
                         'rows: ["district"]\n'
                         'cols: ["age_band"]\n'
                         "statistic: sum\n"
                         'value: "income"\n'
                         'filter: "benefit == \\"yes\\""\n'
                         "margins: true\n"
                         'file: "income_by_district.csv"\n')
        self.assertEqual(self.read("income_by_district.description.txt"),
                         "Total income of benefit recipients by district and age band.\n")
        # The returned table is wide, in the checker's order, Total last.
        self.assertEqual(list(t.index), ["A", "B", "Total"])
        self.assertEqual(list(t.columns), ["old", "young", "Total"])
        self.assertEqual(t.loc["A", "young"], 160)
        self.assertTrue(math.isnan(t.loc["B", "young"]))
        self.assertEqual(t.loc["Total", "Total"], 765)

    def test_count_counts_distinct_units_and_margins_count_a_unit_once(self):
        datakamp.crosstab(persons(), dataset="persons", unit="person_id", rows="district", cols="age_band",
                          filter='benefit == "yes"', margins=True, name="n", description="Units.")
        # A/old {2}, A/young {1,6}, A {1,2,6}; B/old {2,4,5}, B/young {} -> 0; Total/old {2,4,5}
        # (unit 2 once although it is in A/old and B/old), Total/young {1,6}, Total {1,2,4,5,6}.
        self.assertEqual(self.read("n.csv"),
                         "district,age_band,value\n"
                         "A,old,1\nA,young,2\nA,Total,3\n"
                         "B,old,3\nB,young,0\nB,Total,3\n"
                         "Total,old,3\nTotal,young,2\nTotal,Total,5\n")
        spec = self.read("n.spec.yaml")
        self.assertIn("statistic: count\n", spec)
        self.assertNotIn("value:", spec)

    def test_mean_is_over_unit_values_with_a_value(self):
        datakamp.crosstab(persons(), dataset="persons", unit="person_id", rows=["district"], cols=["age_band"],
                          values="income", aggfunc="mean", filter='benefit == "yes"', margins=True,
                          name="mean_income", description="Mean income.")
        # A/young (150+10)/2 = 80; A: (150+200+10)/3 = 120; B/old: (400+5)/2 = 202.5 (unit 5 has no value);
        # Total/old: (205+400)/2 = 302.5; Total: (150+205+400+10)/4 = 191.25.
        self.assertEqual(self.read("mean_income.csv"),
                         "district,age_band,value\n"
                         "A,old,200\nA,young,80\nA,Total,120\n"
                         "B,old,202.5\nB,young,\nB,Total,202.5\n"
                         "Total,old,302.5\nTotal,young,80\nTotal,Total,191.25\n")

    def test_median_and_percentile_interpolate_linearly_over_units(self):
        df = persons()
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", values="income",
                          aggfunc="median", margins=True, name="med", description="Median income.")
        # A: units 10, 150, 200 -> 150; B: units 5 (unit 2), 300, 400 (unit 5 no value) -> 300;
        # Total: 10, 150, 205, 300, 400 -> 205.
        self.assertEqual(self.read("med.csv"), "district,value\nA,150\nB,300\nTotal,205\n")
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", values="income",
                          aggfunc="p90", margins=True, name="p90", description="90th percentile.")
        # A: h = 2*0.9 = 1.8 -> 150 + 0.8*50 = 190; B: h = 1.8 -> 300 + 0.8*100 = 380;
        # Total: h = 4*0.9 = 3.6 -> 300 + 0.6*100 = 360.
        self.assertEqual(self.read("p90.csv"), "district,value\nA,190\nB,380\nTotal,360\n")
        self.assertIn("statistic: p90\n", self.read("p90.spec.yaml"))

    def test_min_max_std(self):
        df = persons()
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", values="income",
                          aggfunc="std", name="sd", description="Spread.")
        # A: 10, 150, 200: mean 120, squares 12100+900+6400 = 19400, /2 = 9700; B: 5, 300, 400: mean 235,
        # squares 52900+4225+27225 = 84350, /2 = 42175.
        got = pd.read_csv(os.path.join(self.outbox, "sd.csv"))
        self.assertAlmostEqual(got.value[0], math.sqrt(9700), places=9)
        self.assertAlmostEqual(got.value[1], math.sqrt(42175), places=9)
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", values="income",
                          aggfunc="max", name="mx", description="Largest.")
        self.assertEqual(self.read("mx.csv"), "district,value\nA,200\nB,400\n")
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", values="income",
                          aggfunc="min", name="mn", description="Smallest.")
        self.assertEqual(self.read("mn.csv"), "district,value\nA,10\nB,5\n")

    def test_numeric_filter_and_missing_values(self):
        df = persons()
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district", filter="income >= 100",
                          name="rich", description="x")
        # Rows with income >= 100: units 1 (100), 2 (200) in A; 3, 4 in B. The empty income never matches.
        self.assertEqual(self.read("rich.csv"), "district,value\nA,2\nB,2\n")
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district",
                          filter="not income >= 100", name="poor", description="x")
        # not(...) keeps the missing income of unit 5: A {1 (50), 6}; B {5, 2 (5)}.
        self.assertEqual(self.read("poor.csv"), "district,value\nA,2\nB,2\n")
        datakamp.crosstab(df, dataset="persons", unit="person_id", rows="district",
                          filter='district in ["A", "C"] and (age_band != "old" or income < 0)',
                          name="in_list", description="x")
        self.assertEqual(self.read("in_list.csv"), "district,value\nA,2\n")

    def test_numeric_categories_sort_numerically_and_text_ordinally(self):
        df = pd.DataFrame({"id": [1, 2, 3, 4], "year": [10, 9, 100, 9], "g": ["b", "B", "a", "b"]})
        datakamp.crosstab(df, dataset="d", unit="id", rows="year", cols="g", name="years", description="x")
        # years 9 < 10 < 100 (numbers); g: "B" < "a" < "b" (ordinal).
        self.assertEqual(self.read("years.csv"),
                         "year,g,value\n9,B,1\n9,a,0\n9,b,1\n10,B,0\n10,a,0\n10,b,1\n100,B,0\n100,a,1\n100,b,0\n")

    def test_weighted_count_and_sum(self):
        df = pd.DataFrame({"id": [1, 1, 2, 3], "r": ["x", "x", "x", "y"], "v": [1.0, 2.0, 4.0, 8.0],
                           "w": [2.0, 2.0, 0.5, 3.0]})
        datakamp.crosstab(df, dataset="d", unit="id", rows="r", weight="w", margins=True, name="wc",
                          description="x")
        # x: units 1 (w 2) and 2 (w 0.5) -> 2.5; y: 3; Total: 5.5.
        self.assertEqual(self.read("wc.csv"), "r,value\nx,2.5\ny,3\nTotal,5.5\n")
        self.assertIn('weight: "w"\n', self.read("wc.spec.yaml"))
        datakamp.crosstab(df, dataset="d", unit="id", rows="r", values="v", aggfunc="sum", weight="w",
                          name="ws", description="x")
        # x: 2*(1+2) + 0.5*4 = 8; y: 3*8 = 24.
        self.assertEqual(self.read("ws.csv"), "r,value\nx,8\ny,24\n")

    def test_three_dimensions_and_quoting(self):
        df = pd.DataFrame({"id": [1, 2], "a": ["x,1", 'q"y'], "b": ["u", "u"], "c": [1, 2]})
        datakamp.crosstab(df, dataset="workspace:derived/file.csv", unit="id", rows="a", cols="b", layers="c",
                          name="three", description="line one\nline two")
        self.assertEqual(self.read("three.csv"),
                         'a,b,c,value\n"q""y",u,1,0\n"q""y",u,2,1\n"x,1",u,1,1\n"x,1",u,2,0\n')
        spec = self.read("three.spec.yaml")
        self.assertIn('dataset: "workspace:derived/file.csv"\n', spec)
        self.assertIn('layers: ["c"]\n', spec)
        self.assertEqual(self.read("three.description.txt"), "line one\nline two\n")

    def test_rows_with_an_empty_dimension_are_in_no_cell(self):
        df = pd.DataFrame({"id": [1, 2, 3], "r": ["x", "", None]})
        datakamp.crosstab(df, dataset="d", unit="id", rows="r", name="e", description="x")
        self.assertEqual(self.read("e.csv"), "r,value\nx,1\n")

    def test_rewriting_a_table_replaces_its_files(self):
        datakamp.crosstab(persons(), dataset="p", unit="person_id", rows="district", name="t", description="one")
        datakamp.crosstab(persons(), dataset="p", unit="person_id", rows="age_band", name="t", description="two")
        self.assertEqual(self.read("t.csv"), "age_band,value\nold,3\nyoung,3\n")
        self.assertEqual(self.read("t.description.txt"), "two\n")
        self.assertEqual(self.files(), ["t.csv", "t.description.txt", "t.spec.yaml"])


class RefusalTest(OutboxTest):
    def crosstab(self, **kw):
        args = dict(dataset="persons", unit="person_id", rows="district", name="t", description="d")
        args.update(kw)
        return datakamp.crosstab(persons(), **args)

    def test_unsafe_names_are_refused_and_nothing_is_written(self):
        for bad in ["../escape", "a/b", "a.b", "", ".hidden", "-x", "x y", "é", "a" * 101, None, "t\n"]:
            with self.subTest(name=bad):
                with self.assertRaises(datakamp.OutboxError):
                    self.crosstab(name=bad)
        self.assertEqual(self.files(), [])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "escape.csv")))

    def test_description_is_required(self):
        for bad in [None, "", "   "]:
            with self.assertRaises(datakamp.OutboxError):
                self.crosstab(description=bad)
        self.assertEqual(self.files(), [])

    def test_requests_the_checker_would_refuse(self):
        cases = [
            dict(aggfunc="sum"),                                 # sum needs values
            dict(values="income"),                               # count takes no values
            dict(aggfunc="average", values="income"),            # unknown statistic
            dict(aggfunc="p100", values="income"),
            dict(rows="person_id"),                              # unit as a dimension
            dict(rows=["district", "district"]),
            dict(rows="district", cols="age_band", layers=["benefit", "income"]),  # 4 dimensions
            dict(rows=[]),
            dict(values="district", aggfunc="sum"),              # value is a dimension
            dict(weight="income", aggfunc="median", values="age_band"),
            dict(rows="nope"),                                   # unknown column
            dict(values="benefit", aggfunc="sum"),               # not numbers
            dict(filter='benefit == "nobody"'),                  # matches nothing
        ]
        for kw in cases:
            with self.subTest(**{k: str(v) for k, v in kw.items()}):
                with self.assertRaises(ValueError):
                    self.crosstab(**kw)
        self.assertEqual(self.files(), [])

    def test_filter_errors_name_the_position(self):
        with self.assertRaisesRegex(datakamp.FilterError, "use '==' to compare, not '=' at position 9"):
            self.crosstab(filter='benefit = "yes"')
        with self.assertRaisesRegex(datakamp.FilterError, "put text in double quotes"):
            self.crosstab(filter="benefit == yes")
        with self.assertRaisesRegex(datakamp.FilterError, "unknown column 'bnefit' at position 1"):
            self.crosstab(filter='bnefit == "yes"')
        with self.assertRaisesRegex(datakamp.FilterError, "which is not a number"):
            self.crosstab(filter="benefit > 3")
        self.assertEqual(self.files(), [])

    def test_a_category_named_total_is_refused_with_margins(self):
        df = pd.DataFrame({"id": [1, 2], "r": ["Total", "x"]})
        with self.assertRaisesRegex(datakamp.TableError, "reserved for margins"):
            datakamp.crosstab(df, dataset="d", unit="id", rows="r", margins=True, name="t", description="d")

    def test_a_symlink_in_the_outbox_is_replaced_not_followed(self):
        target = os.path.join(self.dir, "outside.txt")
        with open(target, "w") as f:
            f.write("keep me")
        os.symlink(target, os.path.join(self.outbox, "t.csv"))
        self.crosstab()
        self.assertFalse(os.path.islink(os.path.join(self.outbox, "t.csv")))
        with open(target) as f:
            self.assertEqual(f.read(), "keep me")
        self.assertEqual(self.read("t.csv"), "district,value\nA,3\nB,4\n")

    def test_a_missing_outbox_is_an_error(self):
        os.environ["DATAKAMP_OUTBOX"] = os.path.join(self.dir, "absent")
        with self.assertRaisesRegex(datakamp.OutboxError, "cannot be opened"):
            self.crosstab()


class FigureTest(OutboxTest):
    def test_png_and_svg_with_description(self):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.bar(["A", "B"], [3, 4])
        path = datakamp.save_figure(fig, "units_by_district", "Units per district (bar chart).")
        self.assertEqual(path, os.path.join(self.outbox, "units_by_district.png"))
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        datakamp.save_figure(ax, "units_svg", "Same, as SVG.", format="svg")
        self.assertIn("<svg", self.read("units_svg.svg"))
        self.assertEqual(self.read("units_svg.description.txt"), "Same, as SVG.\n")
        with self.assertRaises(datakamp.OutboxError):
            datakamp.save_figure(fig, "x", "d", format="pdf")
        with self.assertRaises(datakamp.OutboxError):
            datakamp.save_figure(fig, "../x", "d")
        plt.close(fig)
        self.assertEqual(self.files(), ["units_by_district.description.txt", "units_by_district.png",
                                        "units_svg.description.txt", "units_svg.svg"])


if __name__ == "__main__":
    unittest.main()
