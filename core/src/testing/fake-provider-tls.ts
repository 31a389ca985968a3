// A self-signed certificate for 127.0.0.1 and localhost, for fakes of providers whose SDK
// only speaks https (per the notes: MSAL's authority, the Graph client's auth header).
// It guards nothing: the key is public on purpose and good from 2000 to 2099, so a test
// never fails on a clock. Clients trust it by passing `ca` (node:https, undici's Agent).
export const fakeTls = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJTrt8q6DH2Gneixu
kitAm8J1qvwzRrdUWKhRjTWkYpihRANCAASPuFoo2828S/hS2XuPImvPuxWlk+oI
tcaAqg9ZRL8zNvbefQ5ICFKHZRn7mjrefFV35tgKEuBpLZNdDAcafaST
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBvTCCAWOgAwIBAgIBATAKBggqhkjOPQQDAjAuMSwwKgYDVQQDDCNzb3Nob2ds
ZSBmYWtlIHByb3ZpZGVyICh0ZXN0cyBvbmx5KTAgFw0wMDAxMDEwMDAwMDBaGA8y
MDk5MTIzMTIzNTk1OVowLjEsMCoGA1UEAwwjc29zaG9nbGUgZmFrZSBwcm92aWRl
ciAodGVzdHMgb25seSkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASPuFoo2828
S/hS2XuPImvPuxWlk+oItcaAqg9ZRL8zNvbefQ5ICFKHZRn7mjrefFV35tgKEuBp
LZNdDAcafaSTo3AwbjAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwDwYDVR0T
AQH/BAUwAwEB/zALBgNVHQ8EBAMCAoQwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYD
VR0OBBYEFD5qB3ho4m1sT5B7PAfhFVjl3WedMAoGCCqGSM49BAMCA0gAMEUCIC3j
2+WHo6sa2Y2ktTyDRhA4FZCmyziW6kYl1sXtgEuvAiEAoZS59Uhyx1tSOug+WNbd
Cqq4h3IftBtD1B04abyWBdE=
-----END CERTIFICATE-----
`,
};
