"""`ferry plugins`: what is found, loaded or refused and why, for every refusal reason of the loader."""
import json
import os
import shutil
import unittest

from ferry_test_support import PLUGIN_DIR, TEST_PLUGIN_ROOT, plugins_json, run, temporary_directory

REQUIRED_FIELDS = {"kind", "name", "version", "abi", "features", "path", "status", "reason"}


def refusal(case):
    entries = plugins_json(os.path.join(TEST_PLUGIN_ROOT, case))
    assert len(entries) == 1, entries
    entry = entries[0]
    assert REQUIRED_FIELDS <= entry.keys(), entry
    assert entry["status"] == "refused", entry
    return entry["reason"]


class DefaultBuild(unittest.TestCase):
    def test_null_sink_is_listed_as_loaded(self):
        result = run("plugins", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        entries = json.loads(result.stdout)
        null = [e for e in entries if e["name"] == "null"]
        self.assertEqual(len(null), 1, entries)
        self.assertTrue(REQUIRED_FIELDS <= null[0].keys())
        self.assertEqual(null[0]["kind"], "sink")
        self.assertEqual(null[0]["status"], "loaded")
        self.assertEqual(null[0]["reason"], "")
        self.assertEqual(null[0]["abi"], "1.0")
        self.assertEqual(null[0]["features"], [])
        self.assertEqual(os.path.realpath(os.path.dirname(null[0]["path"])), os.path.realpath(PLUGIN_DIR))

    def test_fs_sink_is_listed_with_its_keys(self):
        result = run("plugins", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        fs = [e for e in json.loads(result.stdout) if e["name"] == "fs"]
        self.assertEqual(len(fs), 1, result.stdout)
        self.assertEqual((fs[0]["kind"], fs[0]["status"]), ("sink", "loaded"))
        keys = {key["name"]: key for key in fs[0]["config_keys"]}
        self.assertEqual(set(keys), {"root", "fsync", "temp_dir"})
        self.assertTrue(keys["root"]["required"])
        self.assertIn("file+dir", keys["fsync"]["help"])

    def test_table_output_names_plugins(self):
        result = run("plugins")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("loaded   sink null 1.0.0 (ABI 1.0)", result.stdout)


class Refusals(unittest.TestCase):
    def test_no_entry_symbol(self):
        self.assertIn("no entry symbol 'ferry_plugin_entry'", refusal("no-entry"))

    def test_other_abi_major(self):
        self.assertIn("the major differs", refusal("other-major"))

    def test_newer_abi_minor(self):
        self.assertIn("newer than this host's ABI 1.0", refusal("newer-minor"))

    def test_descriptor_too_small(self):
        self.assertIn("descriptor is 16 bytes", refusal("small-descriptor"))

    def test_table_too_small(self):
        self.assertIn("sink table is 8 bytes", refusal("small-table"))

    def test_unknown_kind(self):
        self.assertIn("unknown kind 99", refusal("unknown-kind"))

    def test_missing_mandatory_hook(self):
        self.assertIn("lacks the mandatory hook on_sink_file_commit", refusal("missing-hook"))

    def test_name_already_loaded(self):
        entries = plugins_json(PLUGIN_DIR, os.path.join(TEST_PLUGIN_ROOT, "duplicate-name"))
        by_status = {e["status"]: e for e in entries if e["name"] == "null"}
        self.assertEqual(set(by_status), {"loaded", "refused"}, entries)
        self.assertIn("name 'null' is already taken by", by_status["refused"]["reason"])
        self.assertIn(by_status["loaded"]["path"], by_status["refused"]["reason"])

    def test_all_refusals_at_once_leave_the_good_plugin_loaded(self):
        cases = ["no-entry", "other-major", "newer-minor", "small-descriptor", "small-table", "unknown-kind"]
        entries = plugins_json(PLUGIN_DIR, *(os.path.join(TEST_PLUGIN_ROOT, c) for c in cases))
        self.assertEqual(sum(e["status"] == "refused" for e in entries), len(cases))
        self.assertTrue(any(e["name"] == "null" and e["status"] == "loaded" for e in entries))


@unittest.skipUnless(os.geteuid() == 0, "ownership checks apply only when ferry runs as root")
class OwnershipWhenRoot(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.plugin = os.path.join(self.scratch.name, "sink-null.so")
        shutil.copy(os.path.join(PLUGIN_DIR, "sink-null.so"), self.plugin)
        os.chmod(self.plugin, 0o755)

    def tearDown(self):
        self.scratch.cleanup()

    def only_entry(self):
        entries = plugins_json(self.scratch.name)
        self.assertEqual(len(entries), 1, entries)
        return entries[0]

    def test_a_safe_copy_loads(self):
        self.assertEqual(self.only_entry()["status"], "loaded")

    def test_group_writable_is_refused(self):
        os.chmod(self.plugin, 0o775)
        entry = self.only_entry()
        self.assertEqual(entry["status"], "refused")
        self.assertIn("writable by group or others (mode 0775)", entry["reason"])

    def test_world_writable_is_refused(self):
        os.chmod(self.plugin, 0o757)
        self.assertIn("writable by group or others", self.only_entry()["reason"])

    def test_owned_by_another_user_is_refused(self):
        os.chown(self.plugin, 65534, 65534)
        entry = self.only_entry()
        self.assertEqual(entry["status"], "refused")
        self.assertIn("owned by uid 65534, not by the user running ferry (uid 0)", entry["reason"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
