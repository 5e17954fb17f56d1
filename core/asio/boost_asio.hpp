#pragma once
// The one place that includes Boost.Asio (DESIGN.md, known pitfalls): Boost 1.74's Asio uses
// std::exchange in boost/asio/awaitable.hpp without including <utility>, which g++ 12 in C++20
// mode rejects. Every file in core/asio/ includes this wrapper instead of a Boost.Asio header.
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
