/**
 * The decrypt scripts shipped in `raw_script` of hashcat V1/V2 jobs (synthetic-jobs.md §5.2.4).
 * Our own code: they run inside backenddevelopersltd/compute-horde-job:v1-latest, which provides
 * Python 3, the `cryptography` package and hashcat. Only the final answer may reach stdout.
 */
const COMMON = `#!/usr/bin/env python3
import base64
import hashlib
import pickle
import shlex
import subprocess
import sys

from cryptography.fernet import Fernet


def kdf(text):
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode("utf-8")).digest())


def crack(payload, mask, algorithm):
    with open("_payload.txt", "w") as f:
        f.write(payload)
    command = (
        "hashcat --potfile-disable --restore-disable --attack-mode 3 --workload-profile 3"
        " --optimized-kernel-enable --hash-type " + shlex.quote(str(algorithm)) +
        ' --hex-salt -1 "?l?d?u" --outfile-format 2 --quiet _payload.txt ' + shlex.quote(mask)
    )
    result = subprocess.run(command, shell=True, stdout=subprocess.PIPE)
    return sorted(line for line in result.stdout.decode("utf-8").split("\\n") if line)


def solve(job, first_key):
    answers = []
    for i in range(job["n"]):
        payload = job["payloads"][i]
        if i > 0:
            payload = Fernet(kdf("\\n".join(answers[i - 1]))).decrypt(payload.encode("utf-8")).decode("utf-8")
        elif first_key is not None:
            payload = Fernet(kdf(first_key)).decrypt(payload.encode("utf-8")).decode("utf-8")
        answers.append(crack(payload, job["masks"][i], job["algorithms"][i]))
    return kdf("".join("".join(stage) for stage in answers)).decode("ascii")


def main():
    with open("/volume/payload.txt", "rb") as f:
        job = pickle.load(f)
`;

/** V1: stage 0 in clear. */
export const V1_DECRYPT_SCRIPT = `${COMMON}    print(solve(job, None))


if __name__ == "__main__":
    main()
`;

/** V2: every stage encrypted; the first key is argv[1] (sent only in V0JobRequest). */
export const V2_DECRYPT_SCRIPT = `${COMMON}    print(solve(job, sys.argv[1]))


if __name__ == "__main__":
    main()
`;
