import 'reflect-metadata';
import { Logger } from '@nestjs/common';

// Tests log only warnings and errors unless asked otherwise.
process.env.LOG_LEVEL ??= 'warn';
if (!process.env.TEST_VERBOSE) Logger.overrideLogger(['error', 'warn']);
