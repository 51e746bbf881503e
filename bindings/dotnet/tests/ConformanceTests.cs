// Every case of tests/conformance through the three ways in: Policy.Call by name, the string method of the
// call, and the typed tier. Typed answers are checked property by property against the corpus's expected
// JSON (snake_case names, enums by wire name, instants by value and offset), so a property added to a
// result class is checked by the whole corpus without another line here.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Caseflow;
using NUnit.Framework;

namespace Caseflow.Tests
{
    [TestFixture]
    public class ConformanceTests
    {
        internal static string Dir
        {
            get
            {
                return Environment.GetEnvironmentVariable("CASEFLOW_CONFORMANCE")
                    ?? Path.Combine(Path.GetDirectoryName(typeof(ConformanceTests).Assembly.Location), "../../../tests/conformance");
            }
        }

        static readonly Dictionary<string, Policy> Policies = new Dictionary<string, Policy>();

        [TestFixtureSetUp]
        public void Load()
        {
            Policies["default"] = Policy.Builtin();
            foreach (var file in Directory.GetFiles(Path.Combine(Dir, "policies"), "*.json"))
                Policies[Path.GetFileName(file)] = Policy.FromJson(File.ReadAllText(file, Encoding.UTF8));
        }

        [TestFixtureTearDown]
        public void Close()
        {
            foreach (var p in Policies.Values) p.Dispose();
            Policies.Clear();
        }

        public static IEnumerable<string> Cases()
        {
            return Directory.GetFiles(Path.Combine(Dir, "cases"), "*.json").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
        }

        static Dictionary<string, object> Load(string name, out Policy policy)
        {
            var c = (Dictionary<string, object>)Json.Parse(File.ReadAllText(Path.Combine(Dir, "cases", name), Encoding.UTF8));
            Assert.IsTrue(Policies.TryGetValue((string)c["policy"], out policy), "unknown policy " + c["policy"]);
            return c;
        }

        [Test]
        public void TheCorpusIsThere() { Assert.GreaterOrEqual(Cases().Count(), 150); }

        /// <summary>The text a case gives the engine: its <c>input_text</c> (JSON text no parsed value can
        /// hold: a member named twice, nesting beyond the limit, a number no double holds) as is, else its
        /// <c>input</c> written as JSON.</summary>
        static string InputText(Dictionary<string, object> c)
        {
            object text;
            return c.TryGetValue("input_text", out text) ? (string)text : Json.Write(c["input"]);
        }

        [Test, TestCaseSource("Cases")]
        public void ViaCall(string name)
        {
            Policy policy;
            var c = Load(name, out policy);
            StringTier(() => policy.Call((string)c["call"], InputText(c)), (Dictionary<string, object>)c["expect"]);
        }

        [Test, TestCaseSource("Cases")]
        public void ViaStringMethod(string name)
        {
            Policy policy;
            var c = Load(name, out policy);
            var method = StringMethod(policy, (string)c["call"]);
            StringTier(() => method(InputText(c)), (Dictionary<string, object>)c["expect"]);
        }

        [Test, TestCaseSource("Cases")]
        public void Typed(string name)
        {
            Policy policy;
            var c = Load(name, out policy);
            if (c.ContainsKey("input_text")) return; // the typed tier cannot say such text
            TypedTier(policy, (string)c["call"], c["input"], (Dictionary<string, object>)c["expect"]);
        }

        [Test]
        public void TheTypedTierExpressesAllButAFewOfTheCorpus()
        {
            int expressible = 0, total = 0;
            foreach (var name in Cases())
            {
                Policy policy;
                var c = Load(name, out policy);
                if (c.ContainsKey("input_text")) continue;
                total++;
                try { TypedCall(policy, (string)c["call"], c["input"]); expressible++; }
                catch (Inexpressible) { }
                catch (FormatException) { }
            }
            Assert.GreaterOrEqual(expressible, total - 10, expressible + " of " + total);
        }

        static Func<string, string> StringMethod(Policy p, string call)
        {
            switch (call)
            {
                case "classify": return p.Classify;
                case "deadline": return p.Deadline;
                case "calendar_days": return p.CalendarDays;
                case "clock_status": return p.ClockStatus;
                case "record": return p.Record;
                case "apply": return p.Apply;
                case "tick": return p.Tick;
                case "replay": return p.Replay;
                case "verify_log": return p.VerifyLog;
                case "warranty": return p.Warranty;
                case "drill_status": return p.DrillStatus;
                case "assess": return p.Assess;
                case "merge_assessments": return p.MergeAssessments;
                case "spot_check": return p.SpotCheck;
                case "audit": return p.Audit;
                case "analyze_policy": return p.AnalyzePolicy;
                case "diff_policies": return p.DiffPolicies;
                default: throw new AssertionException("a call this binding does not have: " + call);
            }
        }

        static void StringTier(Func<string> run, Dictionary<string, object> expect)
        {
            var got = new Dictionary<string, object>();
            try { got["ok"] = Json.Parse(run()); }
            catch (CaseflowException e)
            {
                got["error"] = Json.Parse(e.ErrorJson);
                AssertRefusal(e, expect);
            }
            Assert.IsTrue(Json.Equal(expect, got), "differs from the corpus: " + Json.Write(got));
        }

        static void AssertRefusal(CaseflowException e, Dictionary<string, object> expect)
        {
            object body;
            if (!expect.TryGetValue("error", out body)) Assert.Fail("refused, but the corpus expects an answer: " + e.ErrorJson);
            var error = (Dictionary<string, object>)body;
            Assert.AreEqual(error["code"], e.Code, "code");
            Assert.AreEqual(error["message"], e.Message, "message");
            var errors = (List<object>)error["errors"];
            Assert.AreEqual(errors.Count, e.Errors.Count, "errors");
            for (int i = 0; i < errors.Count; i++)
            {
                var d = (Dictionary<string, object>)errors[i];
                Assert.AreEqual(new Diagnostic((string)d["code"], (string)d["path"], (string)d["message"]), e.Errors[i]);
            }
            if (errors.Count > 0) Assert.AreEqual(((Dictionary<string, object>)errors[0])["path"], e.Path, "path");
        }

        sealed class Inexpressible : Exception
        {
            public Inexpressible(string why) : base(why) { }
        }

        static void TypedTier(Policy p, string call, object input, Dictionary<string, object> expect)
        {
            Func<object> run;
            try { run = TypedCall(p, call, input); }
            catch (Exception e)
            {
                if (!(e is Inexpressible) && !(e is FormatException)) throw;
                // Only an input the engine refuses may be one the types cannot even say.
                Assert.IsTrue(expect.ContainsKey("error"), "the typed tier cannot express an input the engine accepts: " + e.Message);
                return;
            }
            object answer;
            try { answer = run(); }
            catch (CaseflowException e)
            {
                AssertRefusal(e, expect);
                return;
            }
            Assert.IsTrue(expect.ContainsKey("ok"), "answered, but the corpus expects a refusal");
            AssertMatches(answer, expect["ok"], "$");
        }

        static Func<object> TypedCall(Policy p, string call, object inputJson)
        {
            if (call == "classify")
            {
                var report = Report.FromJson(Json.Write(inputJson));
                return () => p.Classify(report);
            }
            if (!(inputJson is Dictionary<string, object>)) throw new Inexpressible("not an object");
            var input = new Reader(inputJson, "$");
            Action<string[]> only = keys =>
            {
                foreach (var key in input.Json.Keys)
                    if (!keys.Contains(key)) throw new Inexpressible("no parameter for `" + key + "`");
            };
            switch (call)
            {
                case "deadline":
                {
                    only(new[] { "from", "add" });
                    var from = input.Instant("from");
                    var add = Deadline.DurationText(input, "add");
                    return () => p.Deadline(from, add);
                }
                case "calendar_days":
                {
                    only(new[] { "from", "to" });
                    var from = input.Date("from");
                    var to = input.Date("to");
                    return () => p.CalendarDays(from, to);
                }
                case "clock_status":
                {
                    only(new[] { "clock", "now" });
                    var clock = Clock.Read(input.Obj("clock"));
                    var now = input.Instant("now");
                    return () => p.ClockStatus(clock, now);
                }
                case "record":
                {
                    only(new[] { "command", "now", "key" });
                    var command = Command.FromJson(input.Text("command"));
                    var now = input.Instant("now");
                    var key = input.OptStr("key");
                    return () => p.Record(command, now, key);
                }
                case "apply":
                {
                    only(new[] { "case", "command", "now", "key" });
                    var caseFile = CaseFile.FromJson(input.Text("case"));
                    var command = Command.FromJson(input.Text("command"));
                    var now = input.Instant("now");
                    var key = input.OptStr("key");
                    return () => p.Apply(caseFile, command, now, key);
                }
                case "tick":
                {
                    only(new[] { "case", "now" });
                    var caseFile = CaseFile.FromJson(input.Text("case"));
                    var now = input.Instant("now");
                    return () => p.Tick(caseFile, now);
                }
                case "replay":
                case "verify_log":
                {
                    only(new[] { "events", "case", "anchor", "key" });
                    var events = input.List("events", e => Event.FromJson(Json.Write(e.Json)));
                    LogEnd end = null;
                    if (input.Opt("case") != null) end = CaseFile.FromJson(input.Text("case"));
                    if (input.Opt("anchor") != null)
                    {
                        if (end != null) throw new Inexpressible("both a case and an anchor");
                        var a = input.Obj("anchor");
                        end = new LogAnchor(a.Long("events"), a.Str("last_hash"));
                    }
                    var key = input.OptStr("key");
                    if (call == "replay") return () => p.Replay(events, end, key);
                    return () => p.VerifyLog(events, end, key);
                }
                case "warranty":
                {
                    only(new[] { "project_facts", "element", "on" });
                    var f = input.OptObj("project_facts");
                    var facts = f == null ? null : new ProjectFacts(f.OptDate("accepted_on"), f.OptDate("started_on"),
                        f.Opt("design_service_life_years") == null ? (int?)null : (int)f.Long("design_service_life_years"));
                    var element = input.OptEnum<WarrantyElement>("element");
                    var on = input.Date("on");
                    return () => p.Warranty(facts, element, on);
                }
                case "drill_status":
                {
                    only(new[] { "drills", "now" });
                    var drills = Dates(input, "drills");
                    var now = input.Instant("now");
                    return () => p.DrillStatus(drills, now);
                }
                case "assess":
                {
                    only(new[] { "cases", "from", "to", "now" });
                    var cases = Logs(input);
                    var from = input.Date("from");
                    var to = input.Date("to");
                    var now = input.Instant("now");
                    return () => p.Assess(cases, from, to, now);
                }
                case "merge_assessments":
                {
                    only(new[] { "summaries" });
                    var summaries = Items(input, "summaries").Select(s => Assessment.FromJson(Json.Write(s))).ToList();
                    return () => p.MergeAssessments(summaries);
                }
                case "spot_check":
                {
                    only(new[] { "cases", "k", "seed" });
                    var cases = Logs(input);
                    var k = input.Long("k");
                    var seed = input.ULong("seed");
                    return () => p.SpotCheck(cases, k, seed);
                }
                case "audit":
                {
                    only(new[] { "cases" });
                    var cases = Logs(input);
                    return () => p.Audit(cases);
                }
                case "analyze_policy":
                {
                    only(new string[0]);
                    return () => p.AnalyzePolicy();
                }
                case "diff_policies":
                {
                    only(new[] { "old", "reports" });
                    var old = input.Text("old");
                    var reports = input.Opt("reports") == null ? null : Items(input, "reports").Select(r => Report.FromJson(Json.Write(r))).ToList();
                    return () => p.DiffPolicies(old, reports);
                }
                default: throw new AssertionException("a call the typed tier does not have: " + call);
            }
        }

        // The items of a list; anything else is not expressible.
        static List<object> Items(Reader input, string key)
        {
            var list = input.Req(key) as List<object>;
            if (list == null) throw new Inexpressible("`" + key + "` is not a list");
            return list;
        }

        // The case logs of a supervision call, each passed as written (a bad one is the engine's finding).
        static List<CaseLog> Logs(Reader input) { return Items(input, "cases").Select(log => CaseLog.FromJson(Json.Write(log))).ToList(); }

        // A list of dates, as the typed tier takes it; anything else is not expressible.
        static List<DateTime> Dates(Reader input, string key)
        {
            var list = input.Req(key) as List<object>;
            if (list == null) throw new Inexpressible("`" + key + "` is not a list");
            var dates = new List<DateTime>();
            foreach (var item in list)
            {
                DateTime day;
                if (!(item is string) || !DateTime.TryParseExact((string)item, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                    throw new Inexpressible("not a date: " + Json.Write(item));
                dates.Add(day);
            }
            return dates;
        }

        // Where a property's JSON is not at its snake_case name.
        static readonly Dictionary<string, string> At = new Dictionary<string, string>
        {
            { "Applied.CaseFile", "case" },
            { "TickReport.CaseId", "case" },
            { "Event.Command", "command.type" },
            { "Classification.ServiceRequest", "routing.service_request" },
            { "Review.Tier1Probability", "tier_1_probability" },
            { "Mean.Value", "mean" },
        };

        internal static string Snake(string pascal)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < pascal.Length; i++)
            {
                if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(pascal[i]));
            }
            return sb.ToString();
        }

        /// <summary>Checks a typed answer against the expected JSON: each public property against the field of
        /// its snake_case name; <c>Json</c> against the whole object, <c>FooJson</c> against <c>foo</c>; an effect
        /// also by its type.</summary>
        internal static void AssertMatches(object typed, object expected, string path)
        {
            if (typed == null) { Assert.IsNull(expected, path + ": null, expected " + Json.Write(expected)); return; }
            var type = typed.GetType();
            if (typed is string || typed is bool || typed is long || typed is int || typed is double || typed is ulong)
            {
                Assert.IsTrue(Json.Equal(expected, Scalar(typed)), path + ": " + Json.Write(Scalar(typed)) + ", expected " + Json.Write(expected));
                return;
            }
            if (typed is Enum)
            {
                object wire = typed is Tier ? (object)new JsonNumber(((int)typed).ToString(CultureInfo.InvariantCulture)) : Wire.Name((Enum)typed);
                Assert.IsTrue(Json.Equal(expected, wire), path + ": " + typed + ", expected " + Json.Write(expected));
                return;
            }
            if (typed is DateTimeOffset)
            {
                var want = DateTimeOffset.Parse((string)expected, CultureInfo.InvariantCulture);
                var got = (DateTimeOffset)typed;
                Assert.IsTrue(want == got && want.Offset == got.Offset, path + ": " + got.ToString("o") + ", expected " + expected);
                return;
            }
            if (typed is DateTime)
            {
                Assert.AreEqual(expected, ((DateTime)typed).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), path);
                return;
            }
            if (typed is IDictionary)
            {
                // Keys as written: an enum by its wire name (a tier by its number).
                var o = expected as Dictionary<string, object>;
                Assert.IsNotNull(o, path + ": expected " + Json.Write(expected) + ", got a map");
                var map = (IDictionary)typed;
                Assert.AreEqual(o.Count, map.Count, path + ": keys");
                foreach (DictionaryEntry pair in map)
                {
                    string name = pair.Key is Enum ? Wire.Name((Enum)pair.Key) : (string)pair.Key;
                    Assert.IsTrue(o.ContainsKey(name), path + ": no key " + name);
                    AssertMatches(pair.Value, o[name], path + "." + name);
                }
                return;
            }
            if (typed is IEnumerable)
            {
                var items = ((IEnumerable)typed).Cast<object>().ToList();
                var list = (List<object>)expected ?? new List<object>();
                Assert.AreEqual(list.Count, items.Count, path + ": length");
                for (int i = 0; i < items.Count; i++) AssertMatches(items[i], list[i], path + "[" + i + "]");
                return;
            }
            Assert.AreEqual("Caseflow", type.Namespace, path + ": no JSON form for " + type);
            var obj = expected as Dictionary<string, object>;
            Assert.IsNotNull(obj, path + ": expected " + Json.Write(expected) + ", got " + type.Name);
            if (typed is Effect) Assert.AreEqual(Snake(type.Name), obj["type"], path + ".type");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                object value = property.GetValue(typed, null);
                string name = property.Name;
                if (name == "Json")
                {
                    Assert.IsTrue(Json.Equal(expected, Json.Parse((string)value)), path + ": json");
                    continue;
                }
                if (name.EndsWith("Json"))
                {
                    string key = Snake(name.Substring(0, name.Length - 4));
                    object field;
                    obj.TryGetValue(key, out field);
                    // An absent member is a null property; a JSON null is the text "null".
                    Assert.IsTrue(Json.Equal(field, value == null ? null : Json.Parse((string)value)), path + "." + key);
                    continue;
                }
                string at;
                if (!At.TryGetValue(type.Name + "." + name, out at)) at = Snake(name);
                object f = obj;
                foreach (var part in at.Split('.'))
                {
                    var d = f as Dictionary<string, object>;
                    object next = null;
                    if (d != null) d.TryGetValue(part, out next);
                    f = next;
                }
                AssertMatches(value, f, path + "." + at);
            }
        }

        static object Scalar(object value)
        {
            if (value is string || value is bool) return value;
            if (value is double) return new JsonNumber(((double)value).ToString("R", CultureInfo.InvariantCulture));
            return new JsonNumber(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
