// The P/Invoke declarations of libcaseflow (ffi/include/caseflow.h). Plain DllImport with byte[]
// UTF-8 text, IntPtr and SafeHandle out-parameters: valid on Mono and on .NET 8 alike.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: InternalsVisibleTo("Caseflow.Tests")]

namespace Caseflow
{
    internal static class Native
    {
        // Resolved as libcaseflow.so / libcaseflow.dylib / caseflow.dll on the library path.
        internal const string Library = "caseflow";

        internal delegate uint CallFn(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr caseflow_version();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr caseflow_status_name(uint status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void caseflow_string_free(IntPtr text);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_policy_new_default(out PolicyHandle policy, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_policy_new_from_json(byte[] policyJson, out PolicyHandle policy, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_policy_free(IntPtr policy);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr caseflow_policy_live_count();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_policy_check(byte[] policyJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_call(PolicyHandle policy, byte[] call, byte[] inputJson, out NativeString result, out NativeString error);

        // The same export with a raw handle, for tests of freed and foreign handles.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, EntryPoint = "caseflow_call")]
        internal static extern uint caseflow_call_raw(IntPtr policy, byte[] call, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_classify(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_deadline(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_calendar_days(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_clock_status(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_record(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_apply(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_tick(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_replay(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_verify_log(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_warranty(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_drill_status(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_assess(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_merge_assessments(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_spot_check(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_audit(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_analyze_policy(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_diff_policies(PolicyHandle policy, byte[] inputJson, out NativeString result, out NativeString error);

        // Only in a library built with the cargo feature `test-panic`.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint caseflow_test_panic(out NativeString error);

        /// <summary>NUL-terminated UTF-8 for the library. A string with an embedded NUL would be cut short
        /// silently, so it is refused here.</summary>
        internal static byte[] Utf8(string text, string parameter)
        {
            if (text == null) throw new ArgumentNullException(parameter);
            if (text.IndexOf('\0') >= 0) throw new ArgumentException("contains a NUL character", parameter);
            var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
            System.Text.Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        /// <summary>Reads a NUL-terminated UTF-8 string the library owns (static or not).</summary>
        internal static string FromUtf8(IntPtr text)
        {
            if (text == IntPtr.Zero) return null;
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) length++;
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>A string returned by libcaseflow, freed by <c>caseflow_string_free</c> exactly once,
    /// even when an exception interrupts the caller.</summary>
    internal sealed class NativeString : SafeHandle
    {
        public NativeString() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.caseflow_string_free(handle);
            return true;
        }

        /// <summary>The text, then frees it.</summary>
        public string Take()
        {
            using (this)
            {
                return IsInvalid ? null : Native.FromUtf8(handle);
            }
        }
    }

    /// <summary>A policy handle: freed by <c>caseflow_policy_free</c> when its <see cref="Policy"/> is disposed,
    /// or by the finalizer as a safety net when it is not.</summary>
    public sealed class PolicyHandle : SafeHandle
    {
        public PolicyHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            return Native.caseflow_policy_free(handle) == (uint)Status.Ok;
        }
    }
}
