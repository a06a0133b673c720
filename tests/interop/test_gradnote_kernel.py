"""jupyter_kernel_test suite for the gradnote kernel, run by tests/interop/kernel-test.test.ts.

Drives the installed kernelspec "gradnote" through jupyter_client, as every Jupyter front end
does; every sample below must pass and none is left empty (an empty sample skips its test).
"""
import unittest

import jupyter_kernel_test


class GradnoteKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradnote"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "const zzGradnoteValue = 1; zzGradnoteVal", "matches": {"zzGradnoteValue"}},
        {"text": "Math.PI.toFix", "matches": {"toFixed"}},
        {"text": "process.versions.nod", "matches": {"node"}},
        {"text": "JSON.str", "matches": {"stringify"}},
        {"text": "clearOut", "matches": {"clearOutput"}},
    ]

    complete_code_samples = [
        "1",
        "const a: number = 1",
        "function f(x: number): number { return x + 1 }",
        "for (let i = 0; i < 3; i++) {\n  console.log(i)\n}",
        "const s = `a ${1} b`",
        "",
    ]
    incomplete_code_samples = [
        "function f(x: number) {",
        "const xs = [1, 2,",
        "if (true) {\n  console.log(1)",
        "const t = `open template",
        "foo(",
    ]
    invalid_code_samples = [
        "const = 5",
        "1 +* 2",
        "let 3x = 1",
        "}",
    ]

    # IPython-style help: the execute_reply carries a pager payload and nothing is run.
    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"ab"', "result": "'ab'"},
        {"code": '"a".repeat(3)', "result": "'aaa'"},
        {"code": "[1, 2, 3].map((x: number) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": "const n: number = 6; n * 7", "result": "42"},
        {"code": "({ a: 1 })", "result": "{ a: 1 }"},
        {"code": "null", "result": "null"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>x</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# title")', "mime": "text/markdown"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'></svg>")', "mime": "image/svg+xml"},
        {
            "code": 'display.png("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")',
            "mime": "image/png",
        },
        {"code": "display.json({ a: [1, 2] })", "mime": "application/json"},
        {"code": "display({ b: 2 })", "mime": "text/plain"},
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
