#!/usr/bin/env node
// placeholder: the CLI arrives with its issue
export {}
