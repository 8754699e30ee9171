#!/usr/bin/env node
import { main } from '../dist/app/cli.js';

await main(process.argv);
