using System;
using System.Collections.Generic;

namespace Caseflow
{
    /// <summary>The status codes of libcaseflow: stable numbers, never renumbered (see caseflow.h).</summary>
    public enum Status : uint
    {
        Ok = 0,
        NullArgument = 100,
        InvalidUtf8 = 101,
        InvalidHandle = 102,
        InvalidJson = 200,
        InvalidPolicy = 201,
        InvalidReport = 202,
        InvalidInput = 203,
        CalendarNotCovered = 204,
        Refused = 300,
        CorruptLog = 301,
        Internal = 900,
        Panic = 901,
    }

    /// <summary>One problem in an input, with the JSON path of the offending value.</summary>
    public sealed class Diagnostic
    {
        public string Code { get; private set; }
        public string Path { get; private set; }
        public string Message { get; private set; }

        public Diagnostic(string code, string path, string message)
        {
            Code = code;
            Path = path;
            Message = message;
        }

        public override string ToString() { return Code + " " + Path + ": " + Message; }

        public override bool Equals(object obj)
        {
            var other = obj as Diagnostic;
            return other != null && other.Code == Code && other.Path == Path && other.Message == Message;
        }

        public override int GetHashCode() { return (Code + "\n" + Path + "\n" + Message).GetHashCode(); }

        internal static Diagnostic Read(Reader o) { return new Diagnostic(o.Str("code"), o.Str("path"), o.Str("message")); }
    }

    /// <summary>A call refused by caseflow: the status, its code (<c>invalid_report</c>, <c>refused</c>...), the
    /// path of the first problem, every problem, and the error body as JSON.</summary>
    public class CaseflowException : Exception
    {
        public Status Status { get; private set; }
        /// <summary>The error's code, the status's name: <c>invalid_report</c>, <c>refused</c>...</summary>
        public string Code { get; private set; }
        /// <summary>The JSON path of the first problem (<c>$.contact.phone</c>), or for a calling-contract
        /// error the name of the parameter at fault.</summary>
        public string Path { get; private set; }
        public IReadOnlyList<Diagnostic> Errors { get; private set; }
        /// <summary>The error body as the library wrote it.</summary>
        public string ErrorJson { get; private set; }

        internal CaseflowException(Status status, string code, string message, IReadOnlyList<Diagnostic> errors, string errorJson)
            : base(message)
        {
            Status = status;
            Code = code;
            Errors = errors;
            Path = errors.Count > 0 ? errors[0].Path : "$";
            ErrorJson = errorJson;
        }

        /// <summary>Throws for a failed status, reading the error body when there is one.</summary>
        internal static void ThrowIfFailed(uint status, NativeString error)
        {
            string body = error.Take();
            if (status == (uint)Status.Ok) return;
            string name = Native.FromUtf8(Native.caseflow_status_name(status));
            if (body == null)
                throw new CaseflowException((Status)status, name, name, new Diagnostic[0], null);
            var json = Reader.Root(body);
            throw new CaseflowException((Status)status, json.Str("code"), json.Str("message"), json.Diagnostics("errors"), body);
        }
    }
}
